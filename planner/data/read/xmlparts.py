"""The XML parts of a workbook package, streamed before openpyxl parses them.

Two things are checked here, and nothing else: this is not a spreadsheet
parser.

- **No DTD.**  The XML entity attacks (billion laughs, quadratic blowup,
  external entities) all need a ``<!DOCTYPE`` in the part's prolog, and
  no spreadsheet writes one.  defusedxml, which openpyxl uses for every
  parse when it is installed (:func:`planner.data.read.raw_workbook.open_workbook`
  insists), refuses them too; checking the prolog here makes the refusal
  the same whatever parser openpyxl picked (it prefers lxml when lxml is
  installed) and happens before any parsing.  The prolog is decoded with
  the part's own encoding (a BOM, or the XML declaration), so a UTF-16
  part cannot hide its DTD.
- **Ranges openpyxl expands.**  While loading a worksheet openpyxl creates
  one object per cell covered by a merged range (``<mergeCell>``) and per
  cell of a hyperlinked range (``<hyperlink ref="A1:B9">``): ``A1:XFD1048576``
  is 17 billion objects.  The ``ref`` of those two elements are summed over
  all worksheets and capped.  A worksheet is streamed in 1 MB pieces; one
  tag or text longer than ``Limits.run_chars`` is refused, since a cell
  holds at most 32 767 characters.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.utils.cell import range_boundaries

from planner.errors import InputError

if TYPE_CHECKING:
    from planner.data.read.container import Limits

XML_SUFFIXES = (".xml", ".rels", ".vml")
CHUNK_BYTES = 1 << 20
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384

_DECLARED = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_NAME = re.compile(r"[^\s/>]+")
_RANGE_TAG = re.compile(r"<(?:[\w.-]+:)?(mergeCell|hyperlink)\b([^>]*)>")
_REF = re.compile(r"\bref\s*=\s*[\"']([^\"']*)[\"']")
_SPACE = " \t\r\n\ufeff"


@dataclass(frozen=True)
class _Prolog:
    """Where a part's root element starts, once its prolog has been read."""

    root: str | None
    """Local name of the root element; ``None`` when the part is not XML at all."""
    start: int
    dtd: bool = False
    complete: bool = True


@dataclass
class _Ranges:
    """The cells covered by expanded ranges so far, and the largest range seen."""

    cells: int = 0
    largest: tuple[int, str, str, str] = (0, "", "", "")
    """(cells, element, ref, part name)."""


def check_parts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a DTD in any XML part, or too many cells in expanded ranges."""
    ranges = _Ranges()
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        try:
            with archive.open(info) as stream:
                _check_part(path, info.filename, stream, limits, ranges)
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError, ValueError) as exc:
            raise InputError(f"{path}: the file is damaged ({info.filename}: {exc}): copy it "
                             "again, or open it in Excel or LibreOffice and save it again as "
                             ".xlsx") from None
        if ranges.cells > limits.range_cells:
            cells, element, ref, part = ranges.largest
            kind = "merged" if element == "mergeCell" else "hyperlinked"
            where = _sheet_title(archive, part)
            raise InputError(
                f"{path}: input rejected: merged and hyperlinked ranges cover more than "
                f"{limits.range_cells:,} cells (the largest, {ref} in {where}, is {kind} "
                f"over {cells:,} cells): unmerge them, or remove the hyperlink, and save "
                "again")


def _check_part(path: Path, name: str, stream: IO[bytes], limits: Limits,
                ranges: _Ranges) -> None:
    first = stream.read(limits.prolog_chars)
    decoder = codecs.getincrementaldecoder(_encoding(first))(errors="replace")
    text = decoder.decode(first)
    exhausted = len(first) < limits.prolog_chars
    prolog = _prolog(text)
    if not prolog.complete:
        if exhausted:
            return  # broken XML: openpyxl says so if it reads this part
        raise InputError(f"{path}: input rejected: {name} has no root element in its first "
                         f"{limits.prolog_chars:,} characters, which no spreadsheet writes: "
                         "open it in Excel or LibreOffice and save it again as .xlsx")
    if prolog.dtd:
        raise InputError(f"{path}: input rejected: contains DTD/entities ({name} declares a "
                         "document type, which no spreadsheet writes and XML attacks need): "
                         "do not open it; ask for a copy saved from Excel or LibreOffice")
    if prolog.root is None or prolog.root.rsplit(":", 1)[-1] != "worksheet":
        return
    carry = text[prolog.start:]
    while True:
        cut = len(carry) if exhausted else carry.rfind("<")
        if cut > 0:
            for match in _RANGE_TAG.finditer(carry, 0, cut):
                _count(match, name, ranges)
            carry = carry[cut:]
        if len(carry) > limits.run_chars:
            raise InputError(f"{path}: input rejected: {name} holds over "
                             f"{limits.run_chars:,} characters without a tag, which no "
                             "spreadsheet writes: open it in Excel or LibreOffice and save "
                             "it again as .xlsx")
        if exhausted or ranges.cells > limits.range_cells:
            return
        raw = stream.read(CHUNK_BYTES)
        exhausted = not raw
        carry += decoder.decode(raw, final=exhausted)


def _encoding(head: bytes) -> str:
    """The encoding of an XML part, from its BOM or its declaration (UTF-8 otherwise)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\0"):
        return "utf-16-le"
    if head.startswith(b"\0<"):
        return "utf-16-be"
    declared = _DECLARED.match(head)
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "latin-1"  # the parser will refuse it; read the prolog byte for byte
    return "utf-8"


def _prolog(text: str) -> _Prolog:
    """Skip the declaration, comments and processing instructions to the root element."""
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in _SPACE:
            pos += 1
        if pos >= n:
            return _Prolog(None, pos, complete=False)
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return _Prolog(None, pos, complete=False)
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return _Prolog(None, pos, complete=False)
            pos = end + 3
        elif text.startswith("<!", pos):
            return _Prolog(None, pos, dtd=True)
        elif text.startswith("<", pos):
            found = _NAME.match(text, pos + 1)
            return _Prolog(found.group(0) if found else "", pos)
        else:
            return _Prolog(None, pos)


def _count(match: re.Match[str], part: str, ranges: _Ranges) -> None:
    ref = _REF.search(match.group(2))
    if ref is None:
        return
    for piece in ref.group(1).split():
        cells = _cells(piece)
        ranges.cells += cells
        if cells > ranges.largest[0]:
            ranges.largest = (cells, match.group(1), piece, part)


def _cells(ref: str) -> int:
    """Cells a reference covers (``A1:B2`` 4, ``A:A`` a whole column); 0 if unreadable."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return 0
    rows = (max_row or MAX_ROWS) - (min_row or 1) + 1
    columns = (max_col or MAX_COLUMNS) - (min_col or 1) + 1
    return max(0, rows) * max(0, columns)


def _sheet_title(archive: zipfile.ZipFile, part: str) -> str:
    """``the sheet 'Demand'`` for a worksheet part, or its part name when unsure."""
    try:
        book = safe_fromstring(_small(archive, "xl/workbook.xml"))
        rels = safe_fromstring(_small(archive, "xl/_rels/workbook.xml.rels"))
    except Exception:  # best effort: the part name is a fine fallback
        return part
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        where = target.get(rid, "").lstrip("/")
        if where and (part == where or part == f"xl/{where}"):
            return f"the sheet {sheet.get('name')!r}"
    return part


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > CHUNK_BYTES:
        raise ValueError(f"{name} is too large to name a sheet from")
    return archive.read(info)
