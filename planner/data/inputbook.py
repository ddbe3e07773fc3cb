"""Write input workbooks that follow the schema (tests, the example, the template).

Sheets in schema order, header row 1 with the schema's column names,
identifier columns stored as text (so ``02`` keeps its zero), optional
sheets written only when they have rows (or when ``all_sheets``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
from openpyxl import Workbook

from planner.data.schema import SETTINGS, SHEETS, Kind
from planner.data.tables import ROW

Records = Iterable[Mapping[str, Any]] | pd.DataFrame


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value


def write_input_workbook(path: str | Path, settings: Mapping[str, Any],
                         tables: Mapping[str, Records], *, all_sheets: bool = False) -> Path:
    """Write ``settings`` (key -> value) and ``tables`` (sheet -> records) to ``path``."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        if sheet.name == "Settings":
            ws = wb.create_sheet("Settings")
            ws.append(["key", "value", "note"])
            known = {c.name: c for c in SETTINGS}
            for key, value in settings.items():
                note = known[key].description if key in known else None
                ws.append([key, _cell_value(value), note])
            continue
        given = tables.get(sheet.name)
        if given is None and not (sheet.required or all_sheets):
            continue
        records = given.to_dict("records") if isinstance(given, pd.DataFrame) else list(given or ())
        names = [c.name for c in sheet.columns]
        extra = [k for r in records for k in r if k not in names and k != ROW]
        header = names + list(dict.fromkeys(extra))
        ws = wb.create_sheet(sheet.name)
        ws.append(header)
        kinds = {c.name: c.kind for c in sheet.columns}
        for record in records:
            row = []
            for name in header:
                value = _cell_value(record.get(name))
                if kinds.get(name) is Kind.IDENTIFIER and value is not None:
                    value = str(value)
                row.append(value)
            ws.append(row)
        for col, name in enumerate(header, start=1):
            if kinds.get(name) is Kind.IDENTIFIER:
                for cells in ws.iter_cols(min_col=col, max_col=col, min_row=2):
                    for cell in cells:
                        cell.number_format = "@"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
