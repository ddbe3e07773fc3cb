"""The rules every workbook the planner writes follows (inputs, annotated copies, results).

Cells (SPEC 5, RELIABILITY "Outputs"):

- **Text stays text.**  openpyxl stores any string starting with ``=`` as a
  formula, and one equal to an error code (``#N/A``, ``#REF!`` ...) as an
  error; Excel and LibreOffice re-read ``=``, ``+``, ``-`` and ``@`` as a
  formula when a planner edits the cell.  Such text (an organisation named
  ``=HYPERLINK("http://x","y")``) is written with ``data_type = "s"`` and
  the quote prefix (Excel's invisible leading apostrophe), so it is shown,
  never evaluated.  Characters XML cannot hold are dropped (openpyxl would
  raise on them) and text is cut at Excel's 32,767 characters.
- **Numbers are plain numbers**, never text; numpy and pandas scalars
  become Python ones.
- **No NaN or infinity reaches a cell.**  NaN, ``None``, ``pd.NA`` and
  ``NaT`` mean "not applicable" (a blank capacity is unlimited) and become
  an empty cell.  Infinity has no such meaning: it is a bug upstream, and
  :class:`UnwritableValue` stops the writing before anything is replaced.

Files:

- The new workbook goes to a temporary file in the target folder (same
  file system, so the rename is atomic), is flushed to disk, then replaces
  the target with :func:`os.replace`.  A crash or an error at any point
  before the rename leaves the previous file byte-identical and removes
  the temporary file.
- The target must not be an input workbook, whatever the path says (a
  symlink or a hard link to the input is the input).
- The target must not be open in Excel or LibreOffice: both leave a lock
  file beside it (``~$name.xlsx``, ``.~lock.name.xlsx#``).  Replacing an
  open file fails on Windows and silently diverges from what the planner
  sees elsewhere, so it is refused with what to do.
- The target folder is created when missing.
- A run's result workbook is ``DIR/<input stem>__<scenario>.xlsx`` and a
  sweep's comparison ``DIR/<input stem>__comparison.xlsx`` (SPEC 2):
  :func:`output_path`, :func:`comparison_path`; ``comparison`` is
  therefore not a scenario name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell

from planner.interrupt import INTERRUPT
from planner.errors import InputError
from planner.status import Status

Scalar = None | bool | int | float | str
"""What a cell may hold."""

FORMULA_STARTS = ("=", "+", "-", "@")
"""Leading characters that make a spreadsheet read typed text as a formula."""

MAX_TEXT = 32_767
"""Excel's limit on the characters of one cell."""

BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
"""Shows a boolean as TRUE/FALSE; LibreOffice shows 1/0 under General."""

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_ERROR_CODES = frozenset(ERROR_CODES)


class UnwritableValue(ValueError):
    """A value no cell may hold (infinity): a bug upstream, located."""


def plain(value: Any) -> Scalar:
    """The Python value a cell holds for ``value`` (see the module's rules).

    Raises :class:`UnwritableValue` for infinity and for values that are
    neither numbers nor text nor dates (which would otherwise be written as
    their ``repr`` without anyone noticing).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise UnwritableValue(f"infinite value {number} cannot be written to a cell")
        return number
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    raise UnwritableValue(f"{type(value).__name__} value {value!r} cannot be written to a cell")


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value[:MAX_TEXT]


def needs_protection(text: str) -> bool:
    """Text a spreadsheet would take for a formula or an error code."""
    return text.startswith(FORMULA_STARTS) or text in _ERROR_CODES


def put(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in a (normal-mode) ``cell`` under the rules above."""
    v = plain(value)
    cell.value = v
    if isinstance(v, bool):
        cell.number_format = BOOLEAN_FORMAT
    elif isinstance(v, str) and needs_protection(v):
        cell.data_type = "s"  # openpyxl inferred a formula or an error code
        cell.quotePrefix = True
    return cell


def text_width(value: Any) -> int:
    """Characters a value needs on screen (its longest line)."""
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


class OutputRefused(InputError):
    """The result cannot be written where asked (exit 2, with what to do)."""

    status = Status.NOT_WRITTEN


COMPARISON = "comparison"
"""Reserved: ``<input>__comparison.xlsx`` is the comparison workbook of a sweep."""


def output_path(output_dir: str | Path, input_path: str | Path, scenario: str) -> Path:
    """``<output_dir>/<input stem>__<scenario>.xlsx`` (SPEC 2), scenario made file-safe."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in scenario).strip("._")
    return Path(output_dir) / f"{Path(input_path).stem}__{safe or 'scenario'}.xlsx"


def comparison_path(output_dir: str | Path, input_path: str | Path) -> Path:
    """``<output_dir>/<input stem>__comparison.xlsx``."""
    return output_path(output_dir, input_path, COMPARISON)


def lock_files(target: Path) -> list[Path]:
    """The lock files Excel and LibreOffice keep beside ``target`` while it is open."""
    folder, name = target.parent, target.name
    candidates = [folder / f"~${name}", folder / f".~lock.{name}#"]
    return [p for p in candidates if p.exists()]


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def check_target(target: str | Path, *, inputs: Iterable[str | Path | None] = ()) -> Path:
    """Refuse a target that is an input or is open; return it as a :class:`Path`."""
    target = Path(target)
    for source in inputs:
        if source is None:
            continue
        if _same_file(target, Path(source)):
            raise OutputRefused(
                f"{target} is the input workbook itself ({source}): the planner never "
                "writes over its input",
                advice="Choose another output folder or file name (e.g. --output-dir outputs).")
    if target.exists() and target.is_dir():
        raise OutputRefused(f"the output path {target} is a folder",
                            advice="Give a file name ending in .xlsx.")
    locks = lock_files(target)
    if locks:
        raise OutputRefused(
            f"{target.name} is open in a spreadsheet application (lock file {locks[0]})",
            advice=("Close the file in Excel or LibreOffice and run again, or choose another "
                    "output folder. If it is not open, the lock file was left by a crash: "
                    f"delete {locks[0]}."))
    return target


def _new_file_mode() -> int:
    """The permissions an ordinary new file gets (``mkstemp`` makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_target(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Whatever happens inside the ``with`` block, the temporary file never
    survives it; ``target`` changes only if the block completed.
    """
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"cannot create the output folder {folder}: {exc.strerror}",
                            advice="Choose an output folder you can write to.") from None
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        with INTERRUPT.writing(tmp):  # a second Ctrl-C removes it before exiting
            yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode())
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputRefused(
                f"cannot replace {target}: permission denied (is it open in Excel?)",
                advice="Close the file, or choose another output folder.") from None
        _sync_folder(folder)
    finally:
        tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_atomically(workbook: Workbook, path: str | Path, *,
                    inputs: Iterable[str | Path | None] = ()) -> Path:
    """Save ``workbook`` to ``path`` under the file rules above; return the path."""
    target = check_target(path, inputs=inputs)
    with atomic_target(target) as tmp:
        workbook.save(tmp)
    return target
