"""The input file before openpyxl parses a byte of it: is it an .xlsx, and a safe one?

openpyxl trusts what it opens.  A 1 MB zip that inflates to 300 MB of sheet
XML costs it minutes and gigabytes; a merged range ``A1:XFD1048576`` makes
it create one object per covered cell; a CSV or a PDF renamed .xlsx, an old
.xls or a password-protected workbook each end in a different exception.
:func:`check_file` turns all of these into one :class:`InputError` whose
one-line message names the file and says what to do, reading only the
file's head, the zip's central directory and a bounded stream of each XML
part, so that a refusal costs milliseconds and a few megabytes.

The zip checks (:class:`Limits`):

- **Entry count and central-directory size** are read from the end
  record before :mod:`zipfile` builds one object per entry.
- **Declared sizes.**  The sum of the uncompressed sizes the central
  directory declares is capped, and so is each entry's compression
  ratio (and the archive's as a whole, against many small bombs), above
  an absolute floor so that a small, very repetitive ``styles.xml`` or
  VML drawing passes.  The declarations bind: :mod:`zipfile` stops
  inflating an entry at its declared size and then fails its CRC check.
- **Overlapping entries.**  A "non-recursive" zip bomb points many
  central-directory entries at the same compressed data.  Python guards
  against it from 3.11.8 (CVE-2024-0450); the planner runs on 3.11.7 too,
  so it guards equally: every entry's local header must sit where the
  central directory says, carry the same name, and the entry's data must
  end before the next entry begins.
- **XML parts** (:mod:`planner.data.read.xmlparts`): no DTD in any part (the
  entity attacks need one; defusedxml refuses them too, this makes the
  refusal independent of openpyxl's parser), and the merged and
  hyperlinked ranges of each worksheet, which openpyxl expands cell by
  cell while loading, are summed and capped.

The limits are generous for a France-sized input: the 400 000-cell
workbook of ``make bench`` (1.5 MB on disk, 18 MB of XML, compression
ratio 11 to 16 per part whether openpyxl or LibreOffice saved it) uses a
seventh of the size cap; openpyxl needs about 0.45 s and 15 MB of memory
per MB of sheet XML, so the cap bounds what an accepted file can cost at
about a minute and 2 GB.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from planner.data.read import ole, xmlparts
from planner.errors import InputError

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What an input workbook may declare before the planner parses it."""

    entries: int = 10_000
    """Zip entries; a workbook has about 4 per sheet (50 for the template)."""
    directory_bytes: int = 4 * MiB
    """The zip's central directory (about 100 bytes per entry)."""
    total_bytes: int = 128 * MiB
    """Uncompressed bytes of all entries: 7 times the 400k-cell workbook (18 MB)."""
    ratio: float = 100.0
    """Compression ratio of an entry, and of the archive; honest parts show 3 to 20."""
    ratio_floor_bytes: int = 8 * MiB
    """Entries (and archives) smaller than this are not held to ``ratio``."""
    range_cells: int = 100_000
    """Cells covered by merged or hyperlinked ranges, all sheets together: openpyxl
    creates an object for each while loading (about 1 s and 50 MB per 100 000)."""
    prolog_chars: int = 64 * 1024
    """Characters before an XML part's root element (a spreadsheet writes one line)."""
    run_chars: int = 1 * MiB
    """Characters of one tag or text without a ``<`` in a worksheet (a cell holds at
    most 32 767)."""


LIMITS = Limits()

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)"
SAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx"

_END = b"PK\x05\x06"
_END_BYTES = 22
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
_LOCAL_BYTES = 30
_MAX_COMMENT = 0xFFFF


def refuse(path: Path, what: str, todo: str) -> InputError:
    """``<path>: <what>: <what to do>``, the one line every refusal gives."""
    return InputError(f"{path}: {what}: {todo}")


def check_file(path: str | Path, limits: Limits = LIMITS) -> None:
    """Refuse ``path`` unless it is a readable, plausible and bounded .xlsx package."""
    path = Path(path)
    mode = _mode(path)
    if stat.S_ISDIR(mode):
        raise refuse(path, "a folder, not a file", "give the path of an .xlsx workbook")
    if not stat.S_ISREG(mode):
        raise refuse(path, "not an ordinary file", "give the path of an .xlsx workbook")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".csv"):
        raise refuse(path, f"a {suffix} file", SAVE_AS_XLSX)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _unopenable(path, exc) from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(8)
        if not head:
            raise refuse(path, "the file is empty", "write the input again (`planner "
                         "template` writes an empty input workbook)")
        if head.startswith(ole.MAGIC):
            raise _compound_file(path, handle)
        if not head.startswith(ZIP_MAGIC):
            raise refuse(path, f"not an Excel workbook (.xlsx) but {_kind(head, handle)}",
                         SAVE_AS_XLSX)
        if suffix not in XLSX_SUFFIXES:
            raise refuse(path, "the name must end in .xlsx", "rename it or save it as .xlsx")
        _check_zip(path, handle, size, limits)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise refuse(path, "no such file", "check the path") from None
    except OSError as exc:
        raise _unopenable(path, exc) from None


def _unopenable(path: Path, exc: OSError) -> InputError:
    if isinstance(exc, PermissionError):
        return refuse(path, "permission denied", "check the file's permissions (or copy it "
                      "somewhere you may read it)")
    return refuse(path, f"cannot be read ({exc.strerror or exc})", "check the path and the disk")


def _compound_file(path: Path, handle: BinaryIO) -> InputError:
    names = ole.stream_names(handle)
    if names & ole.ENCRYPTED_STREAMS:
        return refuse(path, "the workbook is password-protected", "save an unprotected copy "
                      "(in Excel or LibreOffice: Save As, without a password) and give that")
    if names & ole.XLS_STREAMS:
        return refuse(path, "an old Excel 97-2003 workbook (.xls)", SAVE_AS_XLSX)
    return refuse(path, "an old .xls file or a password-protected workbook",
                  "save it as an .xlsx workbook without a password")


def _kind(head: bytes, handle: BinaryIO) -> str:
    """What the file seems to be instead, for the message."""
    if head.startswith(b"%PDF"):
        return "a PDF document"
    handle.seek(0)
    sample = handle.read(4096)
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        return "an XML or HTML file"
    if b"\0" not in sample:
        return "a text file (CSV?)"
    return "an unknown kind of file"


# --- the zip's central directory ------------------------------------------------

@dataclass(frozen=True)
class _EndRecord:
    entries: int
    directory_bytes: int
    directory_offset: int
    offset: int


def _end_record(handle: BinaryIO, size: int) -> _EndRecord | None:
    """The end-of-central-directory record, found the way :mod:`zipfile` finds it."""
    if size < _END_BYTES:
        return None
    handle.seek(size - _END_BYTES)
    tail = handle.read(_END_BYTES)
    if tail.startswith(_END) and tail[-2:] == b"\0\0":
        start, offset = 0, size - _END_BYTES
    else:
        span = min(size, _END_BYTES + _MAX_COMMENT)
        handle.seek(size - span)
        tail = handle.read(span)
        start = tail.rfind(_END)
        if start < 0 or start + _END_BYTES > len(tail):
            return None
        offset = size - span + start
    # signature, disk numbers (2 x 2), entries on this disk, then the three we need
    entries, directory_bytes, directory_offset = struct.unpack_from("<10xHII", tail, start)
    if entries == 0xFFFF or 0xFFFFFFFF in (directory_bytes, directory_offset):
        return _end_record64(handle, offset) or _EndRecord(entries, directory_bytes,
                                                           directory_offset, offset)
    return _EndRecord(entries, directory_bytes, directory_offset, offset)


def _end_record64(handle: BinaryIO, offset: int) -> _EndRecord | None:
    """The Zip64 end record, when the classic one says to look for it."""
    if offset < 20:
        return None
    handle.seek(offset - 20)
    locator = handle.read(20)
    if not locator.startswith(_END64_LOCATOR):
        return None
    where = struct.unpack_from("<Q", locator, 8)[0]
    handle.seek(where)
    record = handle.read(56)
    if len(record) < 56 or not record.startswith(_END64):
        return None
    entries, directory_bytes, directory_offset = struct.unpack_from("<QQQ", record, 32)
    return _EndRecord(entries, directory_bytes, directory_offset, offset)


def _check_zip(path: Path, handle: BinaryIO, size: int, limits: Limits) -> None:
    end = _end_record(handle, size)
    if end is None:
        raise refuse(path, "the file is truncated or damaged (its zip directory is missing)",
                     "copy it again from where it came from, or " + SAVE_AGAIN)
    if end.entries > limits.entries:
        raise refuse(path, f"input rejected: the zip declares {end.entries:,} entries (at "
                     f"most {limits.entries:,})", "this is not an ordinary workbook; "
                     + SAVE_AGAIN)
    if end.directory_bytes > limits.directory_bytes:
        raise refuse(path, f"input rejected: the zip directory declares "
                     f"{end.directory_bytes:,} bytes (at most {limits.directory_bytes:,})",
                     "this is not an ordinary workbook; " + SAVE_AGAIN)
    if end.directory_offset + end.directory_bytes > end.offset:
        raise refuse(path, "the file is truncated or damaged (its zip directory does not fit)",
                     "copy it again, or " + SAVE_AGAIN)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(path, f"the file is damaged ({exc})",
                     "copy it again, or " + SAVE_AGAIN) from None
    with archive:
        infos = archive.infolist()
        _check_entries(path, infos, limits)
        _check_layout(path, handle, infos, archive.start_dir)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            what = ("an OpenDocument spreadsheet (.ods) named .xlsx" if "mimetype" in names
                    else "a zip file but not an Excel workbook (no [Content_Types].xml)")
            raise refuse(path, what, SAVE_AS_XLSX)
        xmlparts.check_parts(path, archive, limits)


def _check_entries(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Counts and declared sizes: what parsing the package would cost at most."""
    if len(infos) > limits.entries:
        raise refuse(path, f"input rejected: the zip holds {len(infos):,} entries (at most "
                     f"{limits.entries:,})", "this is not an ordinary workbook; " + SAVE_AGAIN)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(path, f"the workbook is encrypted (zip entry {info.filename})",
                         "save an unprotected copy and give that")
        if _bomb(info.file_size, info.compress_size, limits):
            raise refuse(path, f"input rejected: {info.filename} declares "
                         f"{info.file_size:,} bytes from {info.compress_size:,} "
                         f"(ratio {info.file_size / max(1, info.compress_size):,.0f}, at most "
                         f"{limits.ratio:g}): a zip bomb, not an ordinary workbook",
                         "do not open it; ask for the workbook again")
    if total > limits.total_bytes:
        raise refuse(path, f"input rejected: the workbook declares {total / MiB:,.0f} MB of "
                     f"content (at most {limits.total_bytes / MiB:,.0f} MB)",
                     "split the input, or check that it is the right file")
    if _bomb(total, packed, limits):
        raise refuse(path, f"input rejected: {total:,} bytes of content from {packed:,} "
                     f"(ratio {total / max(1, packed):,.0f}, at most {limits.ratio:g}): a zip "
                     "bomb, not an ordinary workbook", "do not open it; ask for the workbook "
                     "again")


def _bomb(size: int, packed: int, limits: Limits) -> bool:
    return size > limits.ratio_floor_bytes and size > limits.ratio * max(1, packed)


def _check_layout(path: Path, handle: BinaryIO, infos: list[zipfile.ZipInfo],
                  directory_start: int) -> None:
    """Each entry's local header where the directory says, with its name; no overlap.

    This is the guard Python 3.11.8 added against overlapping entries
    (CVE-2024-0450), done here so that 3.11.7 is as safe.
    """
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for info, following in zip(ordered, [*ordered[1:], None]):
        handle.seek(info.header_offset)
        local = handle.read(_LOCAL_BYTES)
        if len(local) < _LOCAL_BYTES or not local.startswith(_LOCAL):
            raise _damaged(path, f"the entry {info.filename} is not where the zip directory "
                                 "says")
        flags, name_length, extra_length = (struct.unpack_from("<H", local, 6)[0],
                                            *struct.unpack_from("<HH", local, 26))
        raw = handle.read(name_length)
        name = raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        if name != info.orig_filename:
            raise _damaged(path, f"the entry {info.filename} is named {name!r} in its local "
                                 "header")
        end = info.header_offset + _LOCAL_BYTES + name_length + extra_length \
            + info.compress_size
        limit = directory_start if following is None else following.header_offset
        if end > limit:
            raise refuse(path, f"input rejected: zip entries overlap ({info.filename} runs "
                         "into the next): a zip bomb or a damaged file",
                         "do not open it; ask for the workbook again")


def _damaged(path: Path, what: str) -> InputError:
    return refuse(path, f"the file is damaged ({what})", "copy it again, or " + SAVE_AGAIN)
