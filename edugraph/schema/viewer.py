"""Who the API takes the caller to be, so a client can check its token."""

from __future__ import annotations

from enum import Enum

import strawberry

from edugraph.auth import Role


@strawberry.enum(description="What a caller may see and do.")
class ViewerRole(Enum):
    ANONYMOUS = strawberry.enum_value("anonymous", description="No token: the public catalogue and statistics.")
    LEARNER = strawberry.enum_value("learner", description="A learner: their own records.")
    TEACHER = strawberry.enum_value("teacher", description="A teacher: their courses' assignments and submissions.")
    INSTITUTION_ADMIN = strawberry.enum_value(
        "institution_admin", description="An institution's administrator: its learners and courses."
    )
    CERTIFICATION_CENTRE = strawberry.enum_value(
        "certification_centre", description="A certification centre: the outcomes deposited with it."
    )
    PARTNER = strawberry.enum_value(
        "partner", description="A partner province: alliances, exam sessions and its own candidates."
    )
    PLATFORM_ADMIN = strawberry.enum_value("platform_admin", description="The platform's operators: everything.")


@strawberry.type(description="The caller as the API sees them, from their bearer token.")
class ViewerInfo:
    role: ViewerRole = strawberry.field(description="The caller's role.")
    subject: str | None = strawberry.field(description="The token's subject (`sub`), e.g. a learner id.")
    institution: str | None = strawberry.field(description="The institution the role is scoped to, if any.")
    province: str | None = strawberry.field(description="The province of a partner, if any.")


def viewer_role(role: Role) -> ViewerRole:
    return ViewerRole(role.value)
