"""Argument types shared by every domain's fields, described once for GraphiQL."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.schema.pagination import AFTER_DESCRIPTION, FIRST_DESCRIPTION

First = Annotated[int | None, strawberry.argument(description=FIRST_DESCRIPTION)]
After = Annotated[str | None, strawberry.argument(description=AFTER_DESCRIPTION)]
IdArg = Annotated[strawberry.ID, strawberry.argument(description="The public id.")]
