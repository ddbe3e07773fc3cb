"""The input workbook's look, shared by its data sheets and its Guide.

Dark headers mark required columns, light ones optional columns, grey ones
columns and sheets the planner does not read; the Guide shows the legend.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

REQUIRED_FILL = PatternFill("solid", start_color="FF1F4E78")
OPTIONAL_FILL = PatternFill("solid", start_color="FFDDEBF7")
EXTRA_FILL = PatternFill("solid", start_color="FFEDEDED")
FONT = "Calibri"
REQUIRED_FONT = Font(name=FONT, bold=True, color="FFFFFFFF")
OPTIONAL_FONT = Font(name=FONT, bold=True, color="FF1F4E78")
EXTRA_FONT = Font(name=FONT, bold=True, italic=True, color="FF595959")
BOLD_FONT = Font(name=FONT, bold=True)

TAB_GUIDE = "548235"
TAB_REQUIRED = "1F4E78"
TAB_OPTIONAL = "9BC2E6"
TAB_AUXILIARY = "A6A6A6"


def style_header(cell: Cell, *, required: bool, extra: bool = False) -> Cell:
    """Style a header cell: required (dark), optional (light) or extra (grey)."""
    if extra:
        cell.fill, cell.font = EXTRA_FILL, EXTRA_FONT
    elif required:
        cell.fill, cell.font = REQUIRED_FILL, REQUIRED_FONT
    else:
        cell.fill, cell.font = OPTIONAL_FILL, OPTIONAL_FONT
    cell.alignment = Alignment(vertical="center")
    return cell
