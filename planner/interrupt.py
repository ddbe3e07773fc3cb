"""Ctrl-C during a run (SPEC 2): the first stops the work and keeps the plan, the second exits.

HiGHS holds the interpreter while it solves, so Python's own
KeyboardInterrupt would wait for the end of the stage (measured: still
running 60 s after Ctrl-C with a 300 s limit).  While the command line
runs, :data:`INTERRUPT` owns SIGINT:

- the first Ctrl-C sets :attr:`Interrupt.requested`.  A solve in progress
  (:meth:`Interrupt.solving`) sees it within a fraction of a second and asks
  HiGHS to stop through its own interrupt callbacks; the stage keeps the best
  plan found so far, verified like any plan.  Outside a solve the flag is
  turned into a KeyboardInterrupt at once (pure Python code: reading,
  building, writing);
- a second Ctrl-C removes the temporary files being written
  (:meth:`Interrupt.writing`) and exits at once with code 130: nothing
  half-written is left, nothing more is written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import Any, Iterator

from planner.status import Status

EXIT_CODE = Status.INTERRUPTED.exit_code
"""The exit code of a run stopped by Ctrl-C (128 + SIGINT = 130), SPEC 2."""


class Interrupted(KeyboardInterrupt):
    """Raised where work stops because Ctrl-C was pressed.  A KeyboardInterrupt, so that
    code catching ``Exception`` (a sweep's run, a cleanup) never swallows it."""


class Interrupt:
    """The process's answer to SIGINT while the command line runs."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.installed = False
        self._solving = 0
        self._presses = 0
        self._temporary: set[Path] = set()

    # -- state ---------------------------------------------------------------

    @property
    def is_requested(self) -> bool:
        return self.requested.is_set()

    def check(self) -> None:
        """Raise :class:`Interrupted` when Ctrl-C was pressed (a point where work may stop)."""
        if self.requested.is_set():
            raise Interrupted("interrupted by Ctrl-C")

    def reset(self) -> None:
        self.requested.clear()
        self._presses = 0

    # -- scopes ----------------------------------------------------------------

    @contextlib.contextmanager
    def handling(self) -> Iterator["Interrupt"]:
        """Own SIGINT for the duration (main thread only; elsewhere, or when already owned,
        a no-op: a sweep's run in this process keeps the command line's handler)."""
        if self.installed or threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.signal(signal.SIGINT, self._handler)
        self.installed = True
        self.reset()
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)
            self.installed = False

    @contextlib.contextmanager
    def solving(self) -> Iterator[None]:
        """A solver runs in another thread: the first Ctrl-C only sets the flag."""
        self._solving += 1
        try:
            yield
        finally:
            self._solving -= 1

    @contextlib.contextmanager
    def writing(self, path: str | Path) -> Iterator[None]:
        """``path`` is a temporary file being written: a second Ctrl-C removes it."""
        path = Path(path)
        self._temporary.add(path)
        try:
            yield
        finally:
            self._temporary.discard(path)

    # -- the handler -------------------------------------------------------------

    def _handler(self, signum: int, frame: Any) -> None:
        self._presses += 1
        if self._presses >= 2:
            for path in list(self._temporary):
                with contextlib.suppress(OSError):
                    path.unlink()
            os.write(2, b"\nplanner: interrupted again: stopped at once; nothing more was "
                        b"written.\n")
            os._exit(EXIT_CODE)
        self.requested.set()
        if not self._solving:
            raise Interrupted("interrupted by Ctrl-C")


INTERRUPT = Interrupt()
"""The process-wide interrupt (installed by the command line with :meth:`Interrupt.handling`)."""
