"""OR-Library capacitated warehouse location instances on the input contract.

Beasley's ``cap*`` instances (``../shared/benchmarks/orlib_cap``) have
published optima, so they check the model end to end.  The mapping
(issue 3):

- each warehouse i is an organisation ``W<i>`` in its own territory
  ``TW<i>``, with one offer: one session opens it (``cost_per_session`` =
  fixed cost, ``seats`` = capacity, at most 1 session a year);
- each customer j is a territory ``TC<j>`` with its demand d_j;
- serving one unit of j from i costs c_ij / d_j: given as ``Travel``
  minutes from ``TC<j>`` to ``TW<i>`` with ``mobility_cost_per_minute`` = 1;
- one year, one family, one skill with enough trainer hours; stages
  ``unmet,cost``; the travel limit above every given time; MIP gap 0.

The optimum of the ``cost`` stage is then the published optimum.  The
file format: ``m n``; m lines ``capacity fixed_cost``; for each customer
its demand then m costs (of serving ALL its demand from each warehouse).
``capa``/``capb``/``capc`` hold the word ``capacity``: pass ``capacity``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.data.tables import PlanningData, planning_data

YEAR = 2030


@dataclass(frozen=True)
class CapInstance:
    name: str
    capacities: list[float]
    fixed_costs: list[float]
    demands: list[float]
    costs: list[list[float]]
    """costs[j][i]: cost of serving all of customer j's demand from warehouse i."""


def read_cap(path: str | Path, capacity: float | None = None) -> CapInstance:
    path = Path(path)
    tokens = path.read_text().split()
    m, n = int(tokens[0]), int(tokens[1])
    pos = 2
    capacities, fixed = [], []
    for _ in range(m):
        cap = tokens[pos]
        if cap == "capacity":
            if capacity is None:
                raise ValueError(f"{path.name} needs a capacity (see optima.csv)")
            capacities.append(float(capacity))
        else:
            capacities.append(float(cap))
        fixed.append(float(tokens[pos + 1]))
        pos += 2
    demands, costs = [], []
    for _ in range(n):
        demands.append(float(tokens[pos]))
        costs.append([float(t) for t in tokens[pos + 1:pos + 1 + m]])
        pos += 1 + m
    return CapInstance(path.stem, capacities, fixed, demands, costs)


def cap_tables(inst: CapInstance) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Settings and sheet records of the mapped instance."""
    m, n = len(inst.capacities), len(inst.demands)
    travel = []
    for j in range(n):
        for i in range(m):
            if inst.demands[j] > 0:
                travel.append({"from_territory": f"TC{j + 1}", "to_territory": f"TW{i + 1}",
                               "minutes": inst.costs[j][i] / inst.demands[j]})
    limit = max((t["minutes"] for t in travel), default=1.0) + 1.0
    settings = {"scenario_name": inst.name, "first_year": YEAR, "last_year": YEAR,
                "objective_stages": "unmet,cost", "mip_gap": 0.0,
                "max_travel_minutes": limit, "mobility_cost_per_minute": 1.0,
                "stage_tolerance": 0.0, "time_limit_seconds": 600}
    tables = {
        "Territories": [{"territory_id": f"TW{i + 1}", "name": f"Warehouse {i + 1}"}
                       for i in range(m)]
        + [{"territory_id": f"TC{j + 1}", "name": f"Customer {j + 1}"} for j in range(n)],
        "JobFamilies": [{"family_id": "D", "name": "Demand"}],
        "Organisations": [{"org_id": f"W{i + 1}", "name": f"Warehouse {i + 1}",
                           "territory_id": f"TW{i + 1}"} for i in range(m)],
        "Offers": [{"offer_id": f"W{i + 1}", "org_id": f"W{i + 1}", "family_id": "D",
                    "skill": "serve", "seats": int(inst.capacities[i]),
                    "trainer_hours_per_session": 1, "cost_per_session": inst.fixed_costs[i],
                    "max_sessions_per_year": 1} for i in range(m)],
        "Demand": [{"territory_id": f"TC{j + 1}", "family_id": "D", "year": YEAR,
                    "people": inst.demands[j]} for j in range(n)],
        "Trainers": [{"territory_id": f"TW{i + 1}", "skill": "serve", "year": YEAR,
                      "available_hours": 1} for i in range(m)],
        "Travel": travel,
    }
    return settings, tables


def cap_planning_data(path: str | Path, capacity: float | None = None) -> PlanningData:
    settings, tables = cap_tables(read_cap(path, capacity))
    return planning_data(settings, tables, source=str(path))
