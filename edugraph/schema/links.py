"""Relations to the park's institutions and learners, which types of every domain have.

An exam session, a certification centre and a major each name an institution; a booking,
an account and an enrolment each name a learner. The relations are made here once, with
the park's types found when first used (``node_of``): the other domains' modules may not
import the park's at load time, since it imports theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edugraph.loaders import park as park_loaders
from edugraph.schema.relations import Relation, node_of, of_request, to_one

if TYPE_CHECKING:
    from edugraph.schema.park import Institution, Learner

_PARK = "edugraph.schema.park"


def institution_at(attribute: str) -> Relation[Institution | None]:
    """The institution whose id the parent's ``attribute`` holds (null when unset or gone)."""
    return to_one(attribute, of_request(park_loaders.institution_by_id), node_of(_PARK, "Institution"))


def learner_at(attribute: str) -> Relation[Learner | None]:
    """The learner whose id the parent's ``attribute`` holds (null when unset or gone)."""
    return to_one(attribute, of_request(park_loaders.learner_by_id), node_of(_PARK, "Learner"))
