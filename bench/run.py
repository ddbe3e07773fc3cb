"""Time every phase of ``planner solve`` as a whole process (issue 8).

For the Hauts-de-France example at N = 1 and 10 regions (``planner
example --scale N``; 40 on request), LP and MIP, each run is a separate ``planner solve``
process: its phases come from ``--timings-json``, its peak memory from
``os.wait4`` (the child's own maximum resident set).  Prints a table,
writes ``bench/results.md``, and states the ratio

    end-to-end wall time / sum of HiGHS's stage times

against the targets (<= 1.3 regional, <= 1.5 and < 4 GB at N = 10).
Medians of ``--repeat`` runs.

    python bench/run.py                  # N = 1 and 10, LP and MIP
    python bench/run.py --sizes 1 --repeat 5
    python bench/run.py --sizes 1 10 --modes lp
    python bench/run.py --sizes 40 --modes lp --append   # a section added to results.md

N = 40 is not in the default sizes: it fits in memory (4.9 GB) but its LP
stages did not end within an hour on 2 cores (bench/results.md).

LP runs get ``--lp-time-limit`` seconds a stage (an hour: the bench
measures an LP solved to its optimum, not the example's MIP time limit).
A run that fails is listed under the table with its exit code and message.
Sizes above ``--mip-up-to`` run as LPs only (a MIP of 40 regions spends
hours in its stages' time limits), and a size whose expected peak memory
(``MB_PER_REGION`` measured at N = 10) exceeds the machine's available
memory is skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from instances import OUT, ROOT, instance  # bench/ is on sys.path when run as a script
PLANNER = Path(sys.executable).with_name("planner")
TARGETS = {1: 1.3, 10: 1.5}
MEMORY_TARGET_MB = {10: 4096}
MB_PER_REGION = 240.0
"""Peak resident memory per region, measured at N = 10 (2,353 MB for the MIP)."""


@dataclass
class Run:
    size: int
    mode: str
    wall: float
    peak_mb: float
    record: dict
    exit_code: int
    message: str = ""

    @property
    def highs(self) -> float:
        return sum(v for k, v in self.record["phases"].items() if k.startswith("stage_"))


@dataclass
class Row:
    size: int
    mode: str
    runs: list[Run] = field(default_factory=list)

    def median(self, key) -> float:  # noqa: ANN001
        return statistics.median(key(r) for r in self.runs)



def run_once(size: int, mode: str, extra: list[str], lp_time_limit: float) -> Run:
    path = instance(size)
    timings = OUT / f"timings_x{size}_{mode}.json"
    timings.unlink(missing_ok=True)
    command = [str(PLANNER), "solve", str(path), "--output-dir", str(OUT / "results"),
               "--timings-json", str(timings), "--quiet"]
    if mode == "lp":
        command += ["--lp", "--time-limit", f"{lp_time_limit:g}"]
    errors = OUT / f"stderr_x{size}_{mode}.txt"
    start = time.perf_counter()
    with errors.open("w") as stderr:
        child = subprocess.Popen(command + extra, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    exit_code = os.waitstatus_to_exitcode(status)
    message = errors.read_text().strip()
    if message:
        print(message, file=sys.stderr, flush=True)
    record = json.loads(timings.read_text()) if timings.exists() else {"phases": {}}
    return Run(size, mode, wall, usage.ru_maxrss / 1024, record, exit_code,
               message.splitlines()[0] if message else "")


def available_mb() -> float | None:
    """The memory the kernel says new processes can use (None where unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def fits(size: int) -> bool:
    need, have = size * MB_PER_REGION, available_mb()
    if have is not None and need > have:
        print(f"N={size}: skipped, expected peak {need:,.0f} MB > {have:,.0f} MB available",
              flush=True)
        return False
    return True


PHASES = ["read", "validate", "build", "handoff", "between_stages", "extract", "invariants",
          "explain", "write"]


def table(rows: list[Row]) -> list[str]:
    head = ("| N | mode | columns | rows | nonzeros | " + " | ".join(PHASES)
            + " | HiGHS stages | process wall | ratio | target | peak MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        r0 = row.runs[0].record
        highs = row.median(lambda r: r.highs)
        wall = row.median(lambda r: r.wall)
        ratio = row.median(lambda r: r.wall / r.highs if r.highs else float("nan"))
        target = TARGETS.get(row.size)
        phases = [f"{row.median(lambda r, p=p: r.record['phases'].get(p, 0.0)):.2f}"
                  for p in PHASES]
        lines.append(
            f"| {row.size} | {row.mode} | {r0.get('columns', '')} | {r0.get('rows', '')} | "
            f"{r0.get('nonzeros', '')} | " + " | ".join(phases)
            + f" | {highs:.2f} | {wall:.2f} | **{ratio:.2f}** | "
            f"{'<= ' + str(target) if target else '-'} | {row.median(lambda r: r.peak_mb):.0f} |")
    return lines


def stage_lines(rows: list[Row]) -> list[str]:
    lines = ["| N | mode | stage | HiGHS s (median) |", "|---|---|---|---|"]
    for row in rows:
        stages = [k for k in row.runs[0].record["phases"] if k.startswith("stage_")]
        for k in stages:
            lines.append(f"| {row.size} | {row.mode} | {k[6:]} | "
                         f"{row.median(lambda r, k=k: r.record['phases'].get(k, 0.0)):.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--mip-up-to", type=int, default=10,
                        help="largest N solved as a MIP too (default 10)")
    parser.add_argument("--modes", nargs="+", default=["lp", "mip"], choices=["lp", "mip"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-large", type=int, default=1,
                        help="runs for N > 1 (they take minutes)")
    parser.add_argument("--lp-time-limit", type=float, default=3600.0,
                        help="seconds a stage for LP runs (default 3600)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--append", action="store_true",
                        help="add a section to --output instead of replacing it")
    parser.add_argument("extra", nargs="*", help="more options for planner solve")
    args = parser.parse_args(argv)
    rows, failures = [], []
    for size in args.sizes:
        if not fits(size):
            continue
        for mode in args.modes:
            if mode == "mip" and size > args.mip_up_to:
                continue
            row = Row(size, mode)
            for k in range(args.repeat if size == 1 else args.repeat_large):
                run = run_once(size, mode, args.extra, args.lp_time_limit)
                print(f"N={size} {mode} run {k + 1}: exit {run.exit_code}, wall {run.wall:.1f} s,"
                      f" HiGHS {run.highs:.1f} s, peak {run.peak_mb:.0f} MB", flush=True)
                if run.exit_code != 0 or not run.record["phases"]:
                    ended = (f"exit {run.exit_code}" if run.exit_code >= 0
                             else f"stopped by signal {-run.exit_code}")
                    failures.append(f"- N = {size} {mode}: `planner solve` {ended} after "
                                    f"{run.wall:.1f} s, peak {run.peak_mb:.0f} MB: "
                                    f"{run.message or 'no message'}")
                    print(failures[-1], flush=True)
                    break
                row.runs.append(run)
            if row.runs:
                rows.append(row)
    lines = (table(rows) if rows else []) + ([""] + failures if failures else [])
    print("\n".join(lines))
    command = f"python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}"
    title = f"## `{command}`" if args.append else \
        "# Benchmark: every phase of `planner solve` (seconds)"
    report = [title, "",
              f"Machine: {os.cpu_count()} cores; each run a whole `planner solve` process; "
              f"medians of {args.repeat} runs at N = 1 and {args.repeat_large} at N > 1; "
              f"LP stages limited to {args.lp_time_limit:g} s. "
              "`ratio` = process wall time / sum of HiGHS's stage times. "
              "`between_stages` = time in the solve loop outside HiGHS (cost changes, "
              "stage bounds, reading solutions).", "", *lines, "",
              *(["### HiGHS time per stage", "", *stage_lines(rows), ""] if rows else []),
              f"Generated by `{command}`."]
    text = "\n".join(report) + "\n"
    if args.append and args.output.exists():
        text = args.output.read_text() + "\n" + text
    args.output.write_text(text)
    print(f"\n{'appended to' if args.append else 'wrote'} {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
