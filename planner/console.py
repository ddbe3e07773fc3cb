"""What the command line prints while it works, on standard error.

Three kinds of line:

- ``say``: a step a planner follows (reading, each stage and its result,
  writing), always shown unless ``--quiet``;
- ``detail``: figures for us (model size, hand-off time, each probe), only
  with ``--verbose``;
- ``live``: the running stage's figures.  On a terminal one line is
  rewritten in place; when the output is a file or a pipe a line is written
  every few seconds instead, so a log shows progress without flooding.

``--quiet`` prints errors only (they do not go through the console).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LOG_EVERY_SECONDS = 5.0
"""How often a live figure is written as its own line when the output is not a terminal."""
CLEAR = "\r\x1b[K"


class Console:
    def __init__(self, *, quiet: bool = False, verbose: bool = False,
                 stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self._pending = False
        self._last_live = 0.0

    def say(self, message: str) -> None:
        if self.quiet:
            return
        self._clear()
        print(message, file=self.stream, flush=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            self.say(message)

    def live(self, message: str) -> None:
        if self.quiet:
            return
        if self.tty:
            self.stream.write(CLEAR + message)
            self.stream.flush()
            self._pending = True
            return
        now = time.monotonic()
        if now - self._last_live >= LOG_EVERY_SECONDS:
            self._last_live = now
            print(message, file=self.stream, flush=True)

    def _clear(self) -> None:
        if self._pending:
            self.stream.write(CLEAR)
            self._pending = False

