"""DataLoaders of the credit bank (学分银行): centres, accounts, outcomes, conversions."""

from __future__ import annotations

from bson import ObjectId

from edugraph.loaders.base import Document, LoaderRegistry, Page
from edugraph.loaders.batch import Loader
from edugraph.schema.pagination import PageRequest
from edugraph.store import collections as c


def certification_centre_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.CERTIFICATION_CENTRES)


def credit_account_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.CREDIT_ACCOUNTS)


def learning_outcome_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.LEARNING_OUTCOMES)


def credit_conversion_by_id(loaders: LoaderRegistry) -> Loader[ObjectId, Document | None]:
    return loaders.by_id(c.CREDIT_CONVERSIONS)


def certification_centres_by_host_institution_id(
    loaders: LoaderRegistry, fields: tuple[str, ...] | None = None
) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.CERTIFICATION_CENTRES, "host_institution_id", fields)


def credit_accounts_by_learner_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    """At most one account per learner (a unique index), loaded as a list of zero or one."""
    return loaders.many_by(c.CREDIT_ACCOUNTS, "learner_id")


def learning_outcomes_by_account_id(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.LEARNING_OUTCOMES, "account_id", first=page.first, after=page.after)


def learning_outcomes_by_recognised_by(loaders: LoaderRegistry, page: PageRequest) -> Loader[ObjectId, Page]:
    return loaders.pages_by(c.LEARNING_OUTCOMES, "recognised_by", first=page.first, after=page.after)


def credit_conversions_by_outcome_id(loaders: LoaderRegistry) -> Loader[ObjectId, list[Document]]:
    return loaders.many_by(c.CREDIT_CONVERSIONS, "outcome_id")
