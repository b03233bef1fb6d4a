"""What every mutation payload shares: the expected failures, as data.

A mutation that cannot do what was asked for a reason the client should handle (the
session is full, the learner already booked) answers normally with ``errors`` filled in
and the result null; only unexpected failures become GraphQL errors.
"""

from __future__ import annotations

from enum import Enum

import strawberry
from bson import ObjectId

from edugraph.errors import BadUserInput
from edugraph.ids import IdPrefix, parse_id
from edugraph.store.idempotency import MAX_KEY_LENGTH


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


def input_id(prefix: IdPrefix, value: str, *, field: str) -> ObjectId | UserError:
    """The ObjectId of an id in a mutation's input, or the error to put in its payload."""
    try:
        return parse_id(prefix, value, argument=field)
    except BadUserInput as error:
        return UserError(code=UserErrorCode.BAD_USER_INPUT, message=error.message, field=field)


def check_idempotency_key(key: str | None) -> UserError | None:
    if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
        return UserError(
            code=UserErrorCode.BAD_USER_INPUT,
            message=f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters long.",
            field="idempotencyKey",
        )
    return None
