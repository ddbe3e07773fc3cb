"""How good is the plan shipped in the planner's minute?  (issue 13)

For the Hauts-de-France example at N regions (``planner example --scale N``),
two whole ``planner solve`` processes each:

- **shipped**: the example's own settings (a 0.01 % gap, 10 s a stage on
  average at N = 1, 10 x N s at N regions), as ``make demo`` runs it;
- **long**: the same planner with ``--time-limit LONG --mip-gap 0.0001``
  (120 s a stage on average by default), the reference.

For each stage it prints the value, the recomputed gap (SPEC 4.6) and
HiGHS's time of both runs, and the ratio shipped / long.  A later stage is
solved under the earlier stages' bounds, so when the two runs end an
earlier stage at different values their later stages answer slightly
different questions: read the later ratios with the earlier ones.  The
stage values a planner reads as "how far could this still be from the
best": the gap in the stage's own unit (people, EUR, learner-minutes).

    python bench/quality.py                      # N = 1, 3 and 10
    python bench/quality.py --sizes 1 --long 60  # quicker
    python bench/quality.py --reuse-long         # the last reference runs, read again

Appends a section to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from instances import OUT, ROOT, instance  # bench/ is on sys.path when run as a script

PLANNER = Path(sys.executable).with_name("planner")
STAGES = ("targets", "unmet", "timeliness", "cost", "travel")


def solve(size: int, label: str, extra: list[str], reuse: bool = False) -> dict:
    timings = OUT / f"quality_x{size}_{label}.json"
    if reuse and timings.exists():
        record = json.loads(timings.read_text())
        record["wall"] = record["wall_seconds"]
        return record
    timings.unlink(missing_ok=True)
    out = OUT / f"quality_x{size}_{label}"
    start = time.perf_counter()
    done = subprocess.run([str(PLANNER), "solve", str(instance(size)), "-o", str(out), "-q",
                           "--no-explain", "--timings-json", str(timings), *extra],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0 or not timings.exists():
        return {"failed": f"exit {done.returncode}: {done.stderr.strip()[-300:]}", "wall": wall}
    record = json.loads(timings.read_text())
    record["wall"] = wall
    return record


def _stage(record: dict, name: str) -> dict | None:
    return next((s for s in record.get("stages", []) if s["stage"] == name), None)


def _value(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"


def _gap(g: float | None) -> str:
    return "-" if g is None else f"{100 * g:.3f} %"


def rows(size: int, shipped: dict, long: dict) -> list[str]:
    out = []
    for name in STAGES:
        a, b = _stage(shipped, name), _stage(long, name)
        if a is None and b is None:
            continue
        ratio = "-"
        if a and b and a["objective"] is not None and b["objective"]:
            ratio = f"{a['objective'] / b['objective']:.4f}"
        elif a and b and a["objective"] == b["objective"]:
            ratio = "1 (both 0)"
        room = "-"
        if a and a["objective"] is not None and a["bound"] is not None:
            room = _value(max(0.0, a["objective"] - a["bound"]))
        out.append(
            f"| {size} | {name} | {_value(a and a['objective'])} | {_gap(a and a['gap'])} | "
            f"{room} | {a['solver_seconds']:.1f} | {_value(b and b['objective'])} | "
            f"{_gap(b and b['gap'])} | {b['solver_seconds']:.1f} | {ratio} |"
            if a and b else f"| {size} | {name} | (missing) |")
    out.append(f"| {size} | whole solve (s) | | | | {shipped.get('wall', 0):.1f} | | | "
               f"{long.get('wall', 0):.1f} | |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--long", type=float, default=120.0,
                        help="seconds a stage of the reference run (default 120)")
    parser.add_argument("--reuse-long", action="store_true",
                        help="read the last reference run of each size (bench/out) instead "
                             "of solving it again (20 min at N = 3 and 10)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    table = ["| N | stage | shipped value | shipped gap | at most to gain | shipped s | "
             "long value | long gap | long s | shipped / long |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    failures = []
    for size in args.sizes:
        shipped = solve(size, "shipped", [])
        print(f"N={size} shipped: {shipped.get('failed') or 'ok'} in {shipped['wall']:.1f} s",
              flush=True)
        long = solve(size, "long", ["--time-limit", f"{args.long:g}", "--mip-gap", "0.0001"],
                     reuse=args.reuse_long)
        print(f"N={size} long: {long.get('failed') or 'ok'} in {long['wall']:.1f} s",
              flush=True)
        if "failed" in shipped or "failed" in long:
            failures.append(f"- N = {size}: shipped {shipped.get('failed', 'ok')}; long "
                            f"{long.get('failed', 'ok')}")
            continue
        table += rows(size, shipped, long)
        print("\n".join(table), flush=True)
    command = f"python bench/quality.py {' '.join(argv if argv is not None else sys.argv[1:])}"
    section = ["## Plan quality: the shipped minute against a long run", "",
               f"Machine: {os.cpu_count()} cores. `shipped`: the example's settings "
               "(a 0.01 % gap, 10 s a stage on average x N); `long`: `--time-limit "
               f"{args.long:g} --mip-gap 0.0001`. Values are the stage objectives recomputed "
               "from the verified plan; gaps are recomputed from it and HiGHS's bound; "
               "`at most to gain` is value - bound in the stage's unit. A later stage is "
               "solved within the earlier stages' bounds: where an earlier stage ended "
               "better in the long run, the later one answers a tighter question."
               + (" `--reuse-long`: the long runs are the last ones on record (bench/out), "
                  "read again, with their own time limit." if args.reuse_long else ""), "",
               *table, *([""] + failures if failures else []), "",
               f"Generated by `{command}`.", ""]
    text = "\n".join(section)
    print(text)
    previous = args.output.read_text() if args.output.exists() else ""
    args.output.write_text(previous + ("\n" if previous else "") + text)
    print(f"appended to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
