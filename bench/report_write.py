"""Time ``write_results`` on a large results set, in write-only and normal openpyxl modes.

    .venv/bin/python bench/report_write.py [--flows 50000] [--sessions 5000] [--repeat 3]

Wall and CPU time are both given: on a shared machine the CPU time is the
steadier figure.  The results are the regional test instance's, with their rows repeated
(ids suffixed) up to the sizes asked: the cell count, types and formats
are what matters for writing speed, not the plan's consistency.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.report import write_results  # noqa: E402
from tests.report_instances import fixed_run, regional  # noqa: E402


def tiled(frame: pd.DataFrame, rows: int, key: str) -> pd.DataFrame:
    """``frame``'s rows repeated to ``rows`` rows, ``key`` made unique per copy."""
    if frame.empty:
        return frame
    copies = -(-rows // len(frame))
    parts = []
    for k in range(copies):
        part = frame.copy()
        part[key] = part[key].astype(str) + f"-{k}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:rows].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=50_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data, solution, results = regional()
    big = replace(results,
                  flows=tiled(results.flows, args.flows, "offer_id"),
                  sessions=tiled(results.sessions[results.sessions["sessions"] > 0],
                                 args.sessions, "offer_id"),
                  coverage=tiled(results.coverage, args.sessions, "territory_id"),
                  trainers=tiled(results.trainers, args.sessions // 2, "territory_id"))
    run = fixed_run(data, solution)
    cells = sum(len(f) * len(f.columns) for f in (big.flows, big.sessions, big.coverage,
                                                    big.trainers))
    print(f"flows {len(big.flows):,} rows, sessions {len(big.sessions):,}, coverage "
          f"{len(big.coverage):,}, trainers {len(big.trainers):,} (~{cells:,} table cells)")
    with tempfile.TemporaryDirectory() as folder:
        for write_only in (True, False):
            times, cpu = [], []
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                path = write_results(Path(folder) / "big.xlsx", data, big, run,
                                     write_only=write_only)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            size = path.stat().st_size / 1e6
            mode = "write-only" if write_only else "normal    "
            print(f"{mode}: wall best {min(times):.2f} s, median "
                  f"{sorted(times)[len(times) // 2]:.2f} s; CPU best {min(cpu):.2f} s "
                  f"(over {args.repeat}), file {size:.1f} MB")


if __name__ == "__main__":
    main()
