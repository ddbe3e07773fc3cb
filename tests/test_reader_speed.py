"""Reading speed on generated workbooks of ~40k and ~400k cells (``make bench``)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from planner.data import load
from planner.data.read.container import LIMITS as CONTAINER_LIMITS, check_file
from planner.data.write.inputbook import write_input_workbook
from tests.workbooks import cell_count, synthetic

SIZES = {"40k": (24, 314, 6), "400k": (240, 3140, 6)}
"""(territories, organisations, offers per organisation) -> ~40 600 and ~406 300 cells."""
LIMITS = {"40k": 1.5, "400k": 20.0}
"""Generous ceilings for a shared 2-core machine; the figures measured are printed."""


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_load_speed(tmp_path: Path, size: str) -> None:
    settings, tables = synthetic(*SIZES[size])
    path = write_input_workbook(tmp_path / f"synthetic_{size}.xlsx", settings, tables)
    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        data = load(path)
        seconds.append(time.perf_counter() - started)
    assert len(data.offers) == SIZES[size][1] * SIZES[size][2] and data.warnings == ()
    started = time.perf_counter()
    check_file(path)  # what the container checks cost, inside load()
    checked = time.perf_counter() - started
    with zipfile.ZipFile(path) as archive:
        xml = sum(i.file_size for i in archive.infolist())
    print(f"\nload() {size}: {cell_count(tables)} cells, best of 3 {min(seconds):.2f} s; "
          f"container checks {checked:.2f} s; {xml / 2**20:.1f} MB of XML "
          f"({xml / CONTAINER_LIMITS.total_bytes:.0%} of the cap)")
    assert min(seconds) < LIMITS[size]
