"""Typed tables: blanks keep their documented meaning whatever pandas' defaults."""

from __future__ import annotations

import math

from planner.data.tables import typed_table
from planner.model import build_model
from tests.helpers import offer, tiny


def test_blank_identifiers_are_none_not_nan() -> None:
    # pandas >= 3 would store a blank in a text column as NaN, which is truthy
    table = typed_table("Offers", [{"offer_id": "a", "programme_id": None},
                                   {"offer_id": "b", "programme_id": "G"},
                                   {"offer_id": "c", "programme_id": float("nan")}])
    assert table["programme_id"].tolist() == [None, "G", None]
    assert table["programme_id"].dtype == object


def test_blank_numbers_are_nan_and_defaults_fill_the_rest() -> None:
    table = typed_table("Offers", [{"offer_id": "a", "seats": 10}])
    assert math.isnan(table.loc[0, "baseline_sessions"])
    assert table.loc[0, "min_learners"] == 0 and table.loc[0, "placement_rate"] == 1


def test_an_offer_without_programme_charges_no_budget() -> None:
    plan = build_model(tiny(Offers=[offer(cost_per_session=100),
                                    offer(offer_id="P2", cost_per_session=50, programme_id="G")],
                            Programmes=[{"programme_id": "G", "name": "G", "budget": 1000}]))
    budget = plan.model.Budget
    assert list(budget.keys()) == ["G"]
    body = budget["G"].body
    assert list(body.linear_coefs) == [50]
    assert [v.name for v in body.linear_vars] == ["Sessions[P2,2025]"]
