"""Mutations of self-study-exam tutoring: enrolling in majors and selecting courses."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix
from edugraph.loaders import tutoring as loaders
from edugraph.schema.mutations import (
    IDEMPOTENCY_KEY_DESCRIPTION,
    InputCheck,
    UserError,
    acts_for_learner,
    require_actor,
    write,
)
from edugraph.schema.relations import fetch_one
from edugraph.schema.tutoring import TutoringCourseSelection, TutoringEnrolment
from edugraph.store import tutoring_writes


@strawberry.input(description="A learner enrolling (报名) in a self-study exam major.")
class EnrolInMajorInput:
    learner_id: strawberry.ID = strawberry.field(description="The learner (`lrn_…`).")
    major_id: strawberry.ID = strawberry.field(description="The major (`maj_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The enrolment made, or why none was.")
class EnrolInMajorPayload:
    enrolment: TutoringEnrolment | None = strawberry.field(description="The enrolment; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why no enrolment was made; empty on success.")


@strawberry.input(description="A learner selecting (选学) a tutoring course of a major they are enrolled in.")
class SelectTutoringCourseInput:
    learner_id: strawberry.ID = strawberry.field(description="The learner (`lrn_…`).")
    tutoring_course_id: strawberry.ID = strawberry.field(description="The course (`tcr_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The selection made, or why none was.")
class SelectTutoringCoursePayload:
    selection: TutoringCourseSelection | None = strawberry.field(description="The selection; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why nothing was selected; empty on success.")


@strawberry.type
class TutoringMutation:
    @strawberry.mutation(description="Enrol a learner in a tutoring major; once per learner and major.")
    async def enrol_in_major(
        self, info: Info, input: Annotated[EnrolInMajorInput, strawberry.argument(description="Learner and major.")]
    ) -> EnrolInMajorPayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        major_id = check.id(IdPrefix.MAJOR, input.major_id, field="majorId")
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return EnrolInMajorPayload(enrolment=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        written = await write(
            info,
            operation="enrolInMajor",
            key=key,
            arguments={"learnerId": learner_id, "majorId": major_id},
            perform=lambda: tutoring_writes.enrol(info.context.db, learner_id, major_id),
        )
        enrolment = await fetch_one(
            loaders.enrolment_by_id(info.context.loaders), written.record_id, TutoringEnrolment.from_doc
        )
        return EnrolInMajorPayload(enrolment=enrolment, errors=written.errors)

    @strawberry.mutation(description="Select a tutoring course of a major the learner is enrolled in; no course twice.")
    async def select_tutoring_course(
        self,
        info: Info,
        input: Annotated[SelectTutoringCourseInput, strawberry.argument(description="Learner and course.")],
    ) -> SelectTutoringCoursePayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        course_id = check.id(IdPrefix.TUTORING_COURSE, input.tutoring_course_id, field="tutoringCourseId")
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return SelectTutoringCoursePayload(selection=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        written = await write(
            info,
            operation="selectTutoringCourse",
            key=key,
            arguments={"learnerId": learner_id, "tutoringCourseId": course_id},
            perform=lambda: tutoring_writes.select_course(info.context.db, learner_id, course_id),
        )
        selection = await fetch_one(
            loaders.selection_by_id(info.context.loaders), written.record_id, TutoringCourseSelection.from_doc
        )
        return SelectTutoringCoursePayload(selection=selection, errors=written.errors)
