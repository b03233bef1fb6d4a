"""Finding a learner who had registered by a given moment, fast.

Many events need "a learner who existed then and is not already taken": an exam booking,
a credit account, a tutoring enrolment. Learners are kept in registration order, so the
eligible ones are a prefix found by bisection, and a free one is found by random probes.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from datetime import datetime

from bson import ObjectId

from edugraph.store.seed.context import Document


class LearnerPool:
    """Learners registered by a moment, overall or per institution, found by bisecting."""

    def __init__(self, learners: list[Document]) -> None:
        self.all = learners  # ordered by registration
        self.times = [x["registered_at"] for x in learners]
        self.by_institution: dict[ObjectId, list[Document]] = defaultdict(list)
        for learner in learners:
            self.by_institution[learner["institution_id"]].append(learner)
        self.institution_times = {
            inst: [x["registered_at"] for x in items] for inst, items in self.by_institution.items()
        }

    def pick(
        self,
        rng: random.Random,
        moment: datetime,
        exclude: set[ObjectId],
        institution: ObjectId | None = None,
    ) -> Document | None:
        if institution is None:
            items, times = self.all, self.times
        else:
            items = self.by_institution.get(institution, [])
            times = self.institution_times.get(institution, [])
        count = bisect.bisect_right(times, moment)
        for _ in range(20):  # probes first: taken learners are usually a small share
            if count == 0:
                return None
            learner = items[rng.randrange(count)]
            if learner["_id"] not in exclude:
                return learner
        free = [x for x in items[:count] if x["_id"] not in exclude]
        return rng.choice(free) if free else None
