"""DataLoaders of the park (网络园区): institutions, courses, resources, learners, work."""

from __future__ import annotations

from bson import ObjectId

from edugraph.loaders.base import Document, LoaderRegistry, Page
from edugraph.loaders.batch import Loader
from edugraph.schema.pagination import PageRequest
from edugraph.store import collections as c


def institution_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.INSTITUTIONS)


def course_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.COURSES)


def teacher_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.TEACHERS)


def learner_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.LEARNERS)


def assignment_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.ASSIGNMENTS)


def submission_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.SUBMISSIONS)


def study_record_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.STUDY_RECORDS)


def study_records_by_learner_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.STUDY_RECORDS, "learner_id")


def courses_by_institution_id(
    loaders: LoaderRegistry, page: PageRequest, fields: tuple[str, ...] | None = None
) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.COURSES, "institution_id", first=page.first, after=page.after, fields=fields)


def courses_by_teacher_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.COURSES, "teacher_id", first=page.first, after=page.after)


def learners_by_institution_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.LEARNERS, "institution_id", first=page.first, after=page.after)


def teachers_by_institution_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.TEACHERS, "institution_id", first=page.first, after=page.after)


def resources_by_course_id(
    loaders: LoaderRegistry, page: PageRequest, fields: tuple[str, ...] | None = None
) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.COURSE_RESOURCES, "course_id", first=page.first, after=page.after, fields=fields)


def assignments_by_course_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.ASSIGNMENTS, "course_id", first=page.first, after=page.after)


def submissions_by_learner_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.SUBMISSIONS, "learner_id", first=page.first, after=page.after)


def submissions_by_assignment_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.SUBMISSIONS, "assignment_id", first=page.first, after=page.after)
