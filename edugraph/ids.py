"""Public ids: a short type prefix and the document's ObjectId, e.g. ``ins_65a1…``.

The prefix lets a client (and a partner's gateway) tell at a glance what an id names,
and lets the resolver boundary refuse an id of the wrong type as bad input instead of
querying for it. Ids are parsed once, where arguments enter the schema.
"""

from __future__ import annotations

from enum import StrEnum

from bson import ObjectId
from bson.errors import InvalidId
from strawberry import ID

from edugraph.errors import BadUserInput


class IdPrefix(StrEnum):
    """The prefix of each entity type's public id."""

    INSTITUTION = "ins"
    TEACHER = "tch"
    COURSE = "crs"
    COURSE_RESOURCE = "res"
    LEARNER = "lrn"
    ASSIGNMENT = "asg"
    SUBMISSION = "sub"
    CERTIFICATION_CENTRE = "ctr"
    CREDIT_ACCOUNT = "acc"
    LEARNING_OUTCOME = "out"
    CREDIT_CONVERSION = "cnv"
    ALLIANCE = "all"
    ALLIANCE_COMMITTEE = "cmt"
    EXAM_SESSION = "ses"
    EXAM_BOOKING = "bkg"
    DEGREE_COURSE_PURCHASE = "pur"
    MAJOR = "maj"
    TUTORING_COURSE = "tcr"
    TUTORING_ENROLMENT = "enr"
    TUTORING_COURSE_SELECTION = "sel"


# Each prefix with its underscore, as a plain str: ``IdPrefix.value`` is an enum property
# lookup, and ids are made once per object of every response.
_HEADS = {prefix: f"{prefix.value}_" for prefix in IdPrefix}


def to_public_id(prefix: IdPrefix, oid: ObjectId) -> ID:
    """The id clients see, typed as GraphQL's ID so that an ``id`` resolver returns it as
    it is: ``strawberry.ID(...)``, a ``NewType``, is a Python-level call per object."""
    return _HEADS[prefix] + str(oid)  # type: ignore[return-value]


def parse_id(prefix: IdPrefix, value: str, *, argument: str = "id") -> ObjectId:
    """The ObjectId behind a public id, or ``BAD_USER_INPUT`` naming the argument."""
    head, sep, tail = value.partition("_")
    if not sep or head != prefix.value:
        raise BadUserInput(
            f"'{value}' is not a valid id for argument '{argument}': expected an id starting with '{prefix.value}_'.",
            argument=argument,
        )
    try:
        return ObjectId(tail)
    except (InvalidId, TypeError):
        raise BadUserInput(f"'{value}' is not a valid id for argument '{argument}'.", argument=argument) from None


def optional_id(prefix: IdPrefix, value: str | None, *, argument: str) -> ObjectId | None:
    """``parse_id`` for an optional argument: no id, no condition."""
    return None if value is None else parse_id(prefix, value, argument=argument)


def id_head(prefix: IdPrefix) -> str:
    """What every public id of ``prefix`` starts with: the prefix and its underscore."""
    return _HEADS[prefix]
