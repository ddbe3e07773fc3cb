"""Exact, deterministic integer splits.

The example must reproduce the study's totals exactly (314 organisations,
799 sessions of lycées ...) while spreading them over zones, organisations
and offers in proportion to weights.  Rounding each share independently
loses or gains units; the largest-remainder (Hamilton) method keeps the
total and is deterministic (ties go to the earlier item).
"""

from __future__ import annotations

import hashlib
import math
from typing import Sequence


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, summing to ``total``.

    Each part gets at least ``minimum`` (when ``total`` allows it); the rest
    is shared by largest remainder.  Zero weights get only the minimum.
    """
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError(f"cannot split {total} over nothing")
        return []
    if total < minimum * n:
        raise ValueError(f"total {total} is below {n} x minimum {minimum}")
    if any(w < 0 or not math.isfinite(w) for w in weights):
        raise ValueError("weights must be finite and >= 0")
    rest = total - minimum * n
    weight_sum = float(sum(weights))
    if weight_sum == 0:
        weights, weight_sum = [1.0] * n, float(n)
    quotas = [rest * w / weight_sum for w in weights]
    parts = [math.floor(q) for q in quotas]
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [p + minimum for p in parts]


def ceil_to(value: float, step: float) -> float:
    """``value`` rounded up to a multiple of ``step`` (tidy capacities: 1234 -> 1240)."""
    return math.ceil(value / step - 1e-9) * step


def unit(*key: object) -> float:
    """A reproducible pseudo-random number in [0, 1) named by ``key``.

    A hash of the key rather than a random stream: the same key gives the
    same number on every machine, Python and numpy version, and adding an
    organisation does not shift the numbers of the others.
    """
    digest = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


def weighted_sample(items: Sequence[str], weights: Sequence[float], k: int,
                    *key: object) -> list[str]:
    """``k`` distinct items drawn with probability proportional to ``weights``.

    Efraimidis-Spirakis: each item draws ``u ** (1 / w)`` from :func:`unit`
    and the ``k`` largest win; the result keeps the order of ``items``.
    """
    scored = []
    for i, (item, w) in enumerate(zip(items, weights)):
        if w <= 0:
            continue
        u = max(unit(*key, item), 1e-300)
        scored.append((u ** (1.0 / w), -i, item))
    chosen = {item for _, _, item in sorted(scored, reverse=True)[:k]}
    return [item for item in items if item in chosen]
