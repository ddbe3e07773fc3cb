"""Where the shared material lives: ``../shared`` beside the repository.

Tests read the public benchmark instances in place (never copied into the
repository) and skip, saying why, where ``../shared`` is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ORLIB_CAP = SHARED / "benchmarks" / "orlib_cap"


def orlib_cap(name: str) -> Path:
    path = ORLIB_CAP / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not found: the OR-Library instances live in ../shared beside "
                    "the repository (CI provides it)")
    return path


def published_optima() -> dict[tuple[str, str], float]:
    """(instance, capacity or '') -> published optimum, from optima.csv."""
    path = ORLIB_CAP / "optima.csv"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared is not beside the repository")
    with path.open() as f:
        return {(r["instance"], r["capacity"]): float(r["published_optimum"])
                for r in csv.DictReader(f)}
