"""DataLoaders of self-study-exam tutoring (自考助学): majors, courses, enrolments."""

from __future__ import annotations

from bson import ObjectId

from edugraph.loaders.base import Document, LoaderRegistry, Page
from edugraph.loaders.batch import Loader
from edugraph.schema.pagination import PageRequest
from edugraph.store import collections as c


def major_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.MAJORS)


def tutoring_course_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.TUTORING_COURSES)


def enrolment_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.TUTORING_ENROLMENTS)


def selection_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.TUTORING_COURSE_SELECTIONS)


def majors_by_chief_institution_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.MAJORS, "chief_institution_id")


def tutoring_courses_by_major_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.TUTORING_COURSES, "major_id", first=page.first, after=page.after)


def enrolments_by_learner_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.TUTORING_ENROLMENTS, "learner_id")


def enrolments_by_major_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.TUTORING_ENROLMENTS, "major_id", first=page.first, after=page.after)


def selections_by_enrolment_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.TUTORING_COURSE_SELECTIONS, "enrolment_id")
