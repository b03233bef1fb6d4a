"""What every resolver can reach: the database and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document, LoaderRegistry


@dataclass
class Context:
    """Built once per request by the server, so loader caches never cross requests."""

    db: AsyncDatabase[Document]
    loaders: LoaderRegistry
    request: Any = None
    response: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


def new_context(db: AsyncDatabase[Document], *, request: Any = None, response: Any = None) -> Context:
    return Context(db=db, loaders=LoaderRegistry(db), request=request, response=response)


Info = strawberry.Info[Context, None]
