"""The small workbooks of ``examples/``: current, and solved as their README says."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.workbooks import sheet_values, summary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLANNER = Path(sys.executable).with_name("planner")


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location("examples_build", EXAMPLES / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _solve(path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLANNER), "solve", str(path), "--output-dir", str(out),
                           "--quiet", *extra], capture_output=True, text=True, timeout=300)


def test_checked_in_examples_equal_a_fresh_build(tmp_path: Path) -> None:
    written = _builder().build(tmp_path)
    assert len(written) == 6
    for path in written:
        relative = path.relative_to(tmp_path)
        assert (EXAMPLES / relative).exists(), f"run examples/build.py: {relative} is missing"
        assert sheet_values(EXAMPLES / relative) == sheet_values(path), (
            f"examples/{relative} is out of date: run .venv/bin/python examples/build.py")


def test_two_territories_gives_the_hand_computed_plans(tmp_path: Path) -> None:
    # 250 trainer hours a year run 2 sessions of 100 h, 12 seats each: 48 learners over
    # 2025-2026 for 30 + 20 people -> 2 unmet, 4 sessions x 10 000 EUR.  With 350 h:
    # 3 sessions a year could run, 5 sessions (60 seats) cover all 50.  With Abbeville's
    # limit at 30 min (Amiens is about 48 min away) its 20 people are out of reach and
    # Amiens' 30 need 3 sessions.
    done = _solve(EXAMPLES / "two_territories.xlsx", tmp_path, "--all-scenarios")
    assert done.returncode == 0, done.stderr
    expected = {"baseline": (2, 40_000), "more_trainers": (0, 50_000),
                "short_trips": (20, 30_000)}
    for scenario, (unmet, cost) in expected.items():
        metrics = summary(tmp_path / f"two_territories__{scenario}.xlsx")
        assert metrics["status"] == "optimal"
        # later stages may use the stage tolerance: unmet <= v + 1e-6 * max(1, v) (SPEC 4.4)
        assert metrics["unmet_people"] == pytest.approx(unmet, abs=1e-6 * max(1, unmet)
                                                        + 1e-9), scenario
        assert metrics["cost_eur"] == pytest.approx(cost, abs=1e-6), scenario


@pytest.mark.parametrize("name, where", [
    ("trainer_hours", "Offers, row 2, column committed_sessions_per_year"),
    ("site_capacity", "Organisations, row 2, column capacity_hours"),
    ("budget", "Programmes, row 2, column budget"),
    ("ramp_up", "Offers, row 2, column committed_sessions_per_year"),
    ("hire_beyond_budget", "Programmes row 2, budget"),
])
def test_each_infeasible_example_exits_3_naming_its_rows(tmp_path: Path, name: str,
                                                         where: str) -> None:
    done = _solve(EXAMPLES / "infeasible" / f"{name}.xlsx", tmp_path)
    assert done.returncode == 3, done.stderr
    assert "no plan can satisfy the hard limits" in done.stderr
    assert where in done.stderr
    diagnosis = sheet_values(tmp_path / f"{name}__baseline.xlsx")["Diagnosis"]
    assert len(diagnosis) >= 2  # a header and at least one located row
