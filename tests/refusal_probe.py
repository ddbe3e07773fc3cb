"""Run ``planner`` commands in forked children; report each one's time and peak memory.

``python -m tests.refusal_probe RUNS.json`` reads a list of
``{"name": ..., "argv": [...], "log": PATH}`` (and optionally ``"timeout"``
in seconds), imports the planner once,
then forks one child per run so that every figure is that run's own:
``seconds`` is the time ``planner.cli.main`` took inside the child,
``peak_mb`` the child's maximum resident set as the kernel reports it to
``os.wait4`` (the per-child form of ``getrusage(RUSAGE_CHILDREN)``; it
includes the interpreter and the imports the child inherited, about
150 MB).  A child that runs longer than ``TIMEOUT`` seconds is killed, so
a regression fails the test instead of hanging it.  Prints one JSON list.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

TIMEOUT = 30


def run(planner: Any, argv: list[str], log: str, timeout: int = TIMEOUT) -> dict[str, Any]:
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one command, its output to the log
        os.close(read_end)
        signal.alarm(timeout)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        started = time.perf_counter()
        try:
            code = planner(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:  # noqa: BLE001 - reported to the test, which fails
            traceback.print_exc()
            code = -1
        seconds = time.perf_counter() - started
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(write_end, json.dumps({"code": code, "seconds": seconds}).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    found = json.loads(b"".join(chunks) or b'{"code": null, "seconds": null}')
    found["signal"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    found["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return found


def main(arguments: list[str]) -> int:
    runs = json.loads(Path(arguments[0]).read_text())
    from planner.cli import main as planner
    results = [{"name": r["name"], "argv": r["argv"],
                **run(planner, r["argv"], r["log"], r.get("timeout", TIMEOUT))} for r in runs]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
