"""What the plan means, in the input's words: its own object, beside the results.

- :mod:`~planner.explain.infeasible`: why no plan exists (the rows in conflict);
- :mod:`~planner.explain.unmet`: why each unmet (territory, family) is unmet;
- :mod:`~planner.explain.marginal`: which limits are worth relaxing, ranked;
- :mod:`~planner.explain.limits`: the one map from model rows to input rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Explanations:
    """The explanations of one solved plan (written beside its result tables)."""

    unmet_reasons: pd.Series
    """A reason per row of ``Results.unmet`` ('' where nothing is unmet)."""
    marginal_values: pd.DataFrame | None = None
    """Ranked marginal values of the limits (SPEC 4.5), when computed."""
