"""Write an example as an input workbook, with its ``Sources`` sheet.

The schema's sheets come from :func:`planner.data.write.inputbook.write_input_workbook`;
the ``Sources`` sheet (figure, value, unit, status, source, used_in, note)
is appended here with openpyxl, so the shared writer needs no change (when
it grows a keyword for extra sheets, this module can pass ``Sources``
through it instead).  The file is written to a temporary name in the same
folder and renamed, so an interrupted run never leaves half a workbook.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Font

from planner.data.schema import SOURCES_SHEET
from planner.data.write.inputbook import write_input_workbook
from planner.example.build import SHEET_ORDER, Example

SOURCES_COLUMNS = ("figure", "value", "unit", "status", "source", "used_in", "note")


def _append_text_safe(ws: Any, values: list[Any]) -> None:
    """Append a row; text starting with ``=`` stays text, never a formula."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_example(path: str | Path, example: Example) -> Path:
    """Write ``example`` to ``path`` (atomically) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", prefix=f".{path.stem}.",
                                         dir=path.parent)
    os.close(handle)
    try:
        tables = {sheet: example.tables[sheet] for sheet in SHEET_ORDER
                  if example.tables.get(sheet)}
        write_input_workbook(temporary, example.settings, tables)
        wb = load_workbook(temporary)
        ws = wb.create_sheet(SOURCES_SHEET)
        ws.append(list(SOURCES_COLUMNS))
        for record in example.sources:
            _append_text_safe(ws, [record.get(c) for c in SOURCES_COLUMNS])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        wb.save(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 is for secrets, not workbooks
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
