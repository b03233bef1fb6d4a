"""Exact apportioning and weighted picks.

The figures are exact, so random spreading must never round a total away: counts are
split with the largest-remainder method, which keeps the sum and stays close to the
weights.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum to ``total``."""
    if total < 0:
        raise ValueError("cannot apportion a negative total")
    mass = float(sum(weights))
    if not weights or mass <= 0:
        raise ValueError("apportion needs at least one positive weight")
    quotas = [total * w / mass for w in weights]
    counts = [int(q) for q in quotas]
    short = total - sum(counts)
    # Ties go to the earlier index, which keeps the result deterministic.
    by_remainder = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


def weighted_sample[T](rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
    """``k`` distinct items drawn with probability proportional to weight (no repeats)."""
    if k > len(items):
        raise ValueError(f"cannot draw {k} distinct items from {len(items)}")
    # Efraimidis–Spirakis: the k largest u^(1/w) keys are a weighted sample without repeats.
    keyed = sorted(range(len(items)), key=lambda i: rng.random() ** (1.0 / weights[i]), reverse=True)
    return [items[i] for i in keyed[:k]]


def counts_by_choice(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """A random (multinomial) split of ``total``; sums to ``total``, unlike rounding."""
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[i] += 1
    return counts


def choose[T](rng: random.Random, table: Sequence[tuple[T, float]], k: int = 1) -> list[T]:
    """``k`` draws (with repeats) from a table of (item, weight) pairs."""
    return rng.choices([item for item, _ in table], weights=[w for _, w in table], k=k)
