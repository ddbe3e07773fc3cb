"""Live figures of a running stage, in the stage's own unit, for the console.

HiGHS calls back (from its own thread) with its best plan's objective and
its bound; :class:`Live` keeps the latest figures and :class:`Watch` turns
them into one line a second or so: elapsed / limit, the best value so far
and the gap, e.g.::

    stage 3/5 timeliness: 9 s of 15 s; best 121 585 weighted people-years, gap 1.2 %
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from planner.words import number

STAGE_UNITS = {
    "targets": "of the targets missed",
    "unmet": "weighted people unmet in the last year",
    "timeliness": "weighted people-years of shortfall",
    "cost": "EUR",
    "travel": "learner-minutes",
}
"""How a stage's value reads (SPEC 4.3)."""
MIP_ABSOLUTE_GAP = 1e-6
"""HiGHS's default ``mip_abs_gap``: a MIP is optimal when objective - bound is below it."""


def relative_gap(objective: float, bound: float) -> float:
    """``(objective - bound) / |objective|`` as HiGHS defines it, 0 within its absolute gap."""
    difference = max(0.0, objective - bound)
    if difference <= MIP_ABSOLUTE_GAP:
        return 0.0
    return difference / max(abs(objective), 1e-9)


def stage_figure(stage: str, value: float | None) -> str:
    """A stage's value in its unit, as a planner reads it (no scientific notation)."""
    if value is None or not math.isfinite(value):
        return "none yet"
    if stage == "targets":
        return f"{100 * value:.1f} % {STAGE_UNITS['targets']}"
    return f"{number(round(value))} {STAGE_UNITS.get(stage, '')}".rstrip()


def gap_text(gap: float | None) -> str:
    if gap is None or not math.isfinite(gap):
        return "no bound yet"
    return f"gap {100 * gap:.2f} %" if gap < 0.1 else f"gap {100 * gap:.0f} %"


@dataclass
class Live:
    """The latest figures HiGHS gave during a run (objective and bound without offset)."""

    best: float | None = None
    bound: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, best: float | None, bound: float | None) -> None:
        with self.lock:
            if best is not None and math.isfinite(best):
                self.best = best
            if bound is not None and math.isfinite(bound):
                self.bound = bound

    def read(self) -> tuple[float | None, float | None]:
        with self.lock:
            return self.best, self.bound


@dataclass
class Watch:
    """Prints a running stage's figures through ``show`` at most every ``every`` seconds."""

    label: str
    stage: str
    offset: float
    limit: float
    show: Callable[[str], None]
    every: float = 1.0
    started: float = field(default_factory=time.perf_counter)
    _last: float = 0.0

    def tick(self, live: Live) -> None:
        now = time.perf_counter()
        if now - self._last < self.every:
            return
        self._last = now
        best, bound = live.read()
        elapsed = now - self.started
        text = f"{self.label}: {elapsed:.0f} s of {self.limit:.0f} s"
        if best is not None:
            text += f"; best {stage_figure(self.stage, best + self.offset)}"
            gap = (None if bound is None
                   else relative_gap(best + self.offset, bound + self.offset))
            text += f", {gap_text(gap)}"
        self.show(text)
