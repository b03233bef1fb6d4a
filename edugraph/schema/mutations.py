"""What every mutation payload shares: the expected failures, as data.

A mutation that cannot do what was asked for a reason the client should handle (the
session is full, the learner already booked) answers normally with ``errors`` filled in
and the result null; only unexpected failures become GraphQL errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from bson import ObjectId

from edugraph.auth import Role, Viewer
from edugraph.context import Info
from edugraph.errors import BadUserInput
from edugraph.ids import IdPrefix, parse_id
from edugraph.loaders.base import Document
from edugraph.policy import denial, scope_id
from edugraph.store.idempotency import MAX_KEY_LENGTH, IdempotencyKeyReused, once
from edugraph.store.writes import WriteResult


@strawberry.enum(description="Why a mutation did not do what was asked. Stable: branch on these.")
class UserErrorCode(Enum):
    BAD_USER_INPUT = strawberry.enum_value(
        "BAD_USER_INPUT", description="An input value is malformed or out of range; `field` names it."
    )
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="A referenced record does not exist; `field` names it.")
    SESSION_FULL = strawberry.enum_value("SESSION_FULL", description="The exam session has no free seat left.")
    ALREADY_BOOKED = strawberry.enum_value(
        "ALREADY_BOOKED", description="The learner already holds a seat in this session."
    )
    INVALID_TRANSITION = strawberry.enum_value(
        "INVALID_TRANSITION", description="The record is not in a state that allows this change."
    )
    ALREADY_EXISTS = strawberry.enum_value(
        "ALREADY_EXISTS", description="The record exists already, e.g. a second credit account for one person."
    )
    ALREADY_ENROLLED = strawberry.enum_value("ALREADY_ENROLLED", description="The learner is enrolled in this major.")
    NOT_ENROLLED = strawberry.enum_value(
        "NOT_ENROLLED", description="The learner is not enrolled in the major this course belongs to."
    )
    ALREADY_SELECTED = strawberry.enum_value(
        "ALREADY_SELECTED", description="The learner selected this course already."
    )
    PAST_DUE = strawberry.enum_value("PAST_DUE", description="The assignment's due date has passed.")
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED", description="This idempotency key was already used with a different input."
    )


@strawberry.type(description="An expected reason a mutation did not happen.")
class UserError:
    code: UserErrorCode = strawberry.field(description="What went wrong, as a stable code.")
    message: str = strawberry.field(description="A sentence for a person, in English.")
    field: str | None = strawberry.field(description="The input field at fault, when one is.")


IDEMPOTENCY_KEY_DESCRIPTION = (
    f"Any unique string (at most {MAX_KEY_LENGTH} characters, e.g. a UUID) identifying this attempt: "
    "a retry with the same key returns the first answer and changes nothing; the same key with a "
    "different input is refused with IDEMPOTENCY_KEY_REUSED."
)


class InputCheck:
    """Collects every problem of a mutation's input at once, so a client fixes them in one go.

    Each method returns the checked value (a placeholder when it is wrong); the caller
    answers ``errors`` instead of writing whenever any were found.
    """

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def _bad(self, field: str, message: str) -> None:
        self.errors.append(UserError(code=UserErrorCode.BAD_USER_INPUT, message=message, field=field))

    def id(self, prefix: IdPrefix, value: str, *, field: str) -> ObjectId:
        try:
            return parse_id(prefix, value, argument=field)
        except BadUserInput as error:
            self._bad(field, error.message)
            return ObjectId("000000000000000000000000")

    def optional_id(self, prefix: IdPrefix, value: str | None, *, field: str) -> ObjectId | None:
        return None if value is None else self.id(prefix, value, field=field)

    def text(self, value: str, *, field: str, max_length: int) -> str:
        stripped = value.strip()
        if not 1 <= len(stripped) <= max_length:
            self._bad(field, f"{field} must be 1 to {max_length} characters long.")
        return stripped

    def number(self, value: float, *, field: str, low: float, high: float) -> float:
        if not low <= value <= high:
            self._bad(field, f"{field} must be between {low:g} and {high:g}; got {value:g}.")
        return value

    def idempotency_key(self, key: str | None) -> str | None:
        if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
            self._bad("idempotencyKey", f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters long.")
        return key

    def require(self, condition: bool, *, field: str, message: str) -> None:
        if not condition:
            self._bad(field, message)


@dataclass(frozen=True, slots=True)
class Written:
    """A write's answer for a payload: the record's id, or the errors to show."""

    record_id: ObjectId | None
    errors: list[UserError]


async def write(
    info: Info,
    *,
    operation: str,
    key: str | None,
    arguments: dict[str, Any],
    perform: Callable[[], Awaitable[WriteResult]],
) -> Written:
    """Run a write path once per idempotency key and turn its answer into payload parts."""

    async def answer() -> dict[str, Any]:
        return (await perform()).as_response()

    try:
        response = await once(info.context.db, key=key, operation=operation, arguments=arguments, perform=answer)
    except IdempotencyKeyReused:
        error = UserError(
            code=UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            message="This idempotency key was already used with a different input.",
            field="idempotencyKey",
        )
        return Written(record_id=None, errors=[error])
    # Writes change the yearly figures and what this request read before: both are read afresh.
    info.context.statistics_cache.clear()
    info.context.loaders.forget()
    if response["code"] is None:
        return Written(record_id=response["record_id"], errors=[])
    error = UserError(code=UserErrorCode[response["code"]], message=response["message"], field=response["field"])
    return Written(record_id=None, errors=[error])


def acts_for_learner(viewer: Viewer, learner_id: ObjectId) -> bool:
    """The learner themselves, or a platform admin."""
    if viewer.role is Role.PLATFORM_ADMIN:
        return True
    return viewer.role is Role.LEARNER and scope_id(viewer.subject) == learner_id


def acts_as_centre(viewer: Viewer, centre_id: ObjectId | None = None) -> bool:
    """A certification centre (that one, when given), or a platform admin."""
    if viewer.role is Role.PLATFORM_ADMIN:
        return True
    return viewer.role is Role.CERTIFICATION_CENTRE and (centre_id is None or scope_id(viewer.subject) == centre_id)


def require_actor(info: Info, allowed: bool) -> None:
    """Mutations check who acts: refused callers get FORBIDDEN (UNAUTHENTICATED without a token)."""
    if not allowed:
        raise denial(info.context.viewer)


async def require_visible(info: Info, collection: str, record_id: ObjectId) -> Document:
    """The record the mutation acts on, read through the caller's access rules."""
    record = await info.context.loaders.by_id(collection).load(record_id)
    if record is None and not info.context.loaders.policy.sees_everything_of(collection):
        raise denial(info.context.viewer)
    return record or {}
