"""One status vocabulary for a stage, a run and a sweep, each status with its exit code.

The solve, the command line, the scenario sweep and the comparison all
speak of a run's outcome with these words (linopy's ``constants.py`` does
the same for its solvers): a status says whether there is a plan and which
exit code ``planner`` gives for it (SPEC 2).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    OPTIMAL = "optimal"
    """Solved to the gap asked for, and verified."""
    FEASIBLE = "feasible"
    """A verified plan, but a limit (time, Ctrl-C) stopped the search before proof."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no solution"
    """No plan within the limits."""
    UNVERIFIED = "unverified"
    """The solver's answer failed the planner's checks, also when solved again."""
    INTERRUPTED = "interrupted"
    """Stopped by Ctrl-C before any plan was found."""
    INVALID = "invalid"
    NOT_WRITTEN = "not written"
    """Solved, but the result could not be written (e.g. the file is open)."""
    INTERNAL = "internal error"

    @property
    def usable(self) -> bool:
        """There is a plan."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self]


EXIT_CODES = {
    Status.OPTIMAL: 0, Status.FEASIBLE: 0, Status.INVALID: 2, Status.NOT_WRITTEN: 2,
    Status.INFEASIBLE: 3, Status.UNBOUNDED: 4, Status.NO_SOLUTION: 4, Status.UNVERIFIED: 4,
    Status.INTERRUPTED: 130, Status.INTERNAL: 1,
}
"""``planner``'s exit code for a run that ends with each status (SPEC 2)."""
