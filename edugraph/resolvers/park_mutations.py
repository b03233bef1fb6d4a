"""Mutations of the park: handing in assignments and recording study time."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix
from edugraph.loaders import park as loaders
from edugraph.schema.mutations import (
    IDEMPOTENCY_KEY_DESCRIPTION,
    InputCheck,
    UserError,
    acts_for_learner,
    require_actor,
    write,
)
from edugraph.schema.park import StudyRecord, Submission
from edugraph.schema.relations import fetch_one
from edugraph.store import park_writes
from edugraph.store.idempotency import operation_id

MAX_CONTENT_LENGTH = 20_000
MAX_STUDY_MINUTES = 600


@strawberry.input(description="A learner handing in (提交) an assignment, before its due date.")
class SubmitAssignmentInput:
    learner_id: strawberry.ID = strawberry.field(description="The learner (`lrn_…`).")
    assignment_id: strawberry.ID = strawberry.field(description="The assignment (`asg_…`).")
    content: str = strawberry.field(description=f"The answer, 1 to {MAX_CONTENT_LENGTH} characters.")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The submission as it now stands, or why it was not accepted.")
class SubmitAssignmentPayload:
    submission: Submission | None = strawberry.field(
        description="The submission, with earlier hand-ins in its history; null on failure."
    )
    errors: list[UserError] = strawberry.field(description="Why it was not accepted; empty on success.")


@strawberry.input(description="Time a learner spent studying a course's videos.")
class RecordStudyTimeInput:
    learner_id: strawberry.ID = strawberry.field(description="The learner (`lrn_…`).")
    course_id: strawberry.ID = strawberry.field(description="The course (`crs_…`).")
    minutes: int = strawberry.field(description=f"Minutes studied in this sitting, 1 to {MAX_STUDY_MINUTES}.")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The learner's study record for the course after the addition.")
class RecordStudyTimePayload:
    record: StudyRecord | None = strawberry.field(description="The study record; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why nothing was recorded; empty on success.")


@strawberry.type
class ParkMutation:
    @strawberry.mutation(
        description=(
            "Hand in an assignment before its due date. A resubmission replaces the current answer "
            "(and clears its score); every hand-in stays in the submission's history."
        )
    )
    async def submit_assignment(
        self, info: Info, input: Annotated[SubmitAssignmentInput, strawberry.argument(description="The hand-in.")]
    ) -> SubmitAssignmentPayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        assignment_id = check.id(IdPrefix.ASSIGNMENT, input.assignment_id, field="assignmentId")
        content = check.text(input.content, field="content", max_length=MAX_CONTENT_LENGTH)
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return SubmitAssignmentPayload(submission=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        op = operation_id("submitAssignment", key)
        written = await write(
            info,
            operation="submitAssignment",
            key=key,
            arguments={"learnerId": learner_id, "assignmentId": assignment_id, "content": content},
            perform=lambda: park_writes.submit_assignment(info.context.db, learner_id, assignment_id, content, op),
        )
        submission = await fetch_one(
            loaders.submission_by_id(info.context.loaders), written.record_id, Submission.from_doc
        )
        return SubmitAssignmentPayload(submission=submission, errors=written.errors)

    @strawberry.mutation(description="Add study time to a learner's record for a course and to the day's totals.")
    async def record_study_time(
        self, info: Info, input: Annotated[RecordStudyTimeInput, strawberry.argument(description="The sitting.")]
    ) -> RecordStudyTimePayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        course_id = check.id(IdPrefix.COURSE, input.course_id, field="courseId")
        minutes = int(check.number(input.minutes, field="minutes", low=1, high=MAX_STUDY_MINUTES))
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return RecordStudyTimePayload(record=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        op = operation_id("recordStudyTime", key)
        written = await write(
            info,
            operation="recordStudyTime",
            key=key,
            arguments={"learnerId": learner_id, "courseId": course_id, "minutes": minutes},
            perform=lambda: park_writes.record_study_time(info.context.db, learner_id, course_id, minutes, op),
        )
        record = await fetch_one(
            loaders.study_record_by_id(info.context.loaders), written.record_id, StudyRecord.from_doc
        )
        return RecordStudyTimePayload(record=record, errors=written.errors)
