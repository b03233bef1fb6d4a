"""DataLoaders of the alliances (联盟): alliances, memberships, committees, exams, purchases."""

from __future__ import annotations

from bson import ObjectId

from edugraph.loaders.base import Document, LoaderRegistry, Page
from edugraph.loaders.batch import Loader
from edugraph.schema.pagination import PageRequest
from edugraph.store import collections as c


def alliance_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.ALLIANCES)


def exam_session_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.EXAM_SESSIONS)


def exam_booking_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.EXAM_BOOKINGS)


def purchase_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.DEGREE_COURSE_PURCHASES)


# Read only to reach an institution's alliances: the alliance's id is all that is needed.
_MEMBERSHIP_LINKS = ("alliance_id",)


def memberships_by_institution_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.ALLIANCE_MEMBERSHIPS, "institution_id", _MEMBERSHIP_LINKS)


def memberships_by_alliance_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.ALLIANCE_MEMBERSHIPS, "alliance_id", first=page.first, after=page.after)


def committees_by_alliance_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.ALLIANCE_COMMITTEES, "alliance_id")


def exam_sessions_by_host_institution_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.EXAM_SESSIONS, "host_institution_id")


def exam_sessions_by_alliance_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.EXAM_SESSIONS, "alliance_id")


def exam_bookings_by_learner_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.EXAM_BOOKINGS, "learner_id")


def exam_bookings_by_session_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.EXAM_BOOKINGS, "session_id", first=page.first, after=page.after)


def purchases_by_learner_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.DEGREE_COURSE_PURCHASES, "learner_id")
