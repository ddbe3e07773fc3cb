"""A binding budget of a programme whose id is longer than one character.

Pyomo gives a one-dimensional index bare (``"ELECTROMOB"``), not as a
1-tuple; unpacking it as ``(g,)`` failed for every id but a one-letter
one (the example's budget scenario hit it: an internal error in its sweep).
"""

from __future__ import annotations

import pytest

from planner.explain.marginal import marginal_values, relax_unmet
from tests.helpers import offer, solve_checked, tiny


def test_marginal_value_of_the_budget_of_a_programme_with_a_long_id() -> None:
    data = tiny(Offers=[offer(programme_id="ELECTROMOB", cost_per_session=1000)],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 40}],
                Programmes=[{"programme_id": "ELECTROMOB", "name": "Electro'Mob",
                             "budget": 1500}])
    solution, results = solve_checked(data)
    table = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    budget = table.set_index("limit").loc["budget"]
    assert "ELECTROMOB" in budget["what"]
    assert budget["value_per_unit"] == pytest.approx(0.01)  # 10 learners per 1,000 EUR
