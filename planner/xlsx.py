"""Helpers shared by every workbook the planner writes.

- :func:`put` stores a value so that text stays text: openpyxl turns any
  string starting with ``=`` into a formula, and Excel re-reads ``+``,
  ``-`` and ``@`` as formulas when a planner edits the cell.  Such text is
  written as a string with Excel's quote prefix (the invisible leading
  apostrophe), so ``=HYPERLINK(...)`` in a name is shown, never run.
  Booleans get a format that shows TRUE/FALSE in LibreOffice too.
- :func:`save_atomically` never leaves a half-written file behind: the
  workbook goes to a temporary file in the target folder, then replaces
  the target in one step (SPEC 5).
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
"""Shows a boolean as TRUE/FALSE; LibreOffice shows 1/0 under General."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""Leading characters that make a spreadsheet read typed text as a formula."""


def plain(value: Any) -> Any:
    """A value openpyxl can store: NaN, NA, NaT -> blank; numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy / pandas scalar
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in ``cell``; formula-looking text stays text."""
    value = plain(value)
    cell.value = value
    if isinstance(value, bool):
        cell.number_format = BOOLEAN_FORMAT
    elif looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def text_width(value: Any) -> int:
    """Characters a value needs on screen (its longest line)."""
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def save_atomically(workbook: Workbook, path: str | Path) -> Path:
    """Save to a temporary file beside ``path``, then rename over it.

    The temporary file is removed if saving fails, and the result gets the
    permissions an ordinary new file would (``mkstemp`` creates 0600).
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp",
                                    dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        workbook.save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
