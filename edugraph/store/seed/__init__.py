"""Deterministic demo data modelled on the January 2024 brief, and the code that loads it.

``generate`` builds the documents, ``scaled_figures`` says what they add up to, and
``seed_database`` writes them once into a PyMongo or mongoeco database.
"""

from edugraph.store.seed.figures import (
    DEFAULT_SCALE,
    DEFAULT_SEED_NUMBER,
    Figure,
    scaled_figures,
)
from edugraph.store.seed.generator import generate
from edugraph.store.seed.writer import SeedReport, seed_database

__all__ = [
    "DEFAULT_SCALE",
    "DEFAULT_SEED_NUMBER",
    "Figure",
    "SeedReport",
    "generate",
    "scaled_figures",
    "seed_database",
]
