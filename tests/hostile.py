"""Hostile and broken input files, generated from the valid test workbook.

Every file here is made in the test's own folder (nothing binary is
committed).  Each builder takes the valid workbook (``tests.workbooks.write``)
or a folder and returns the path of the file it made.
"""

from __future__ import annotations

import codecs
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterable

DEMAND_PART = "xl/worksheets/sheet7.xml"
"""The Demand sheet of ``tests.workbooks.write`` (the 7th sheet, after Guide)."""
MiB = 1 << 20


# --- rewriting a package ---------------------------------------------------------

Writer = Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]
"""Writes one part (the ``ZipInfo`` given) into the new package."""
Adder = Callable[[zipfile.ZipFile], None]
"""Adds parts of its own to the new package."""


def repack(source: Path, target: Path, *, replace: dict[str, bytes | None] | None = None,
           write: dict[str, Writer] | None = None, add: Iterable[Adder] = (),
           level: int | None = None) -> Path:
    """A copy of ``source`` with parts replaced (``None`` drops a part), written or added."""
    replace, write = replace or {}, write or {}
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new:
        for info in old.infolist():
            fresh = zipfile.ZipInfo(info.filename, info.date_time)
            fresh.compress_type = zipfile.ZIP_DEFLATED
            if info.filename in write:
                write[info.filename](new, fresh)
            elif info.filename in replace:
                content = replace[info.filename]
                if content is not None:
                    new.writestr(fresh, content)
            else:
                new.writestr(fresh, old.read(info))
        for adder in add:
            adder(new)
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def with_prolog(xml: bytes, prolog: bytes) -> bytes:
    """``xml`` with ``prolog`` (a DOCTYPE ...) placed before its root element."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + prolog + xml[end:]
    return prolog + xml


def after_sheet_data(xml: bytes, extra: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b"</sheetData>" + extra, 1)


# --- XML entity attacks ------------------------------------------------------------

def billion_laughs(good: Path, folder: Path) -> Path:
    levels = [b'<!ENTITY l0 "lol">'] + [
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)]
    dtd = b"<!DOCTYPE workbook [" + b"".join(levels) + b"]>"
    book = part(good, "xl/workbook.xml").replace(b'name="Guide"', b'name="&l9;"', 1)
    return repack(good, folder / "billion_laughs.xlsx",
                  replace={"xl/workbook.xml": with_prolog(book, dtd)})


def quadratic_blowup(good: Path, folder: Path) -> Path:
    """One 50 kB entity used 20 000 times: 1 GB of text once expanded."""
    dtd = b'<!DOCTYPE worksheet [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    cell = b'<c r="A2" t="inlineStr"><is><t>' + b"&a;" * 20_000 + b"</t></is></c>"
    sheet = part(good, DEMAND_PART)
    sheet = sheet.replace(b'<c r="A2"', cell + b'<c r="Z2"', 1)
    return repack(good, folder / "quadratic_blowup.xlsx",
                  replace={DEMAND_PART: with_prolog(sheet, dtd)})


def external_entity(good: Path, folder: Path) -> Path:
    dtd = b'<!DOCTYPE Relationships [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    rels = part(good, "_rels/.rels").replace(b'Target="', b'Target="&e;', 1)
    return repack(good, folder / "external_entity.xlsx",
                  replace={"_rels/.rels": with_prolog(rels, dtd)})


def utf16_entities(good: Path, folder: Path) -> Path:
    """The billion laughs' DTD in a part encoded as UTF-16, which XML allows."""
    dtd = '<!DOCTYPE workbook [<!ENTITY a "lol">]>'
    text = part(good, "xl/workbook.xml").decode()
    body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
    encoded = codecs.BOM_UTF16_LE + ('<?xml version="1.0" encoding="UTF-16"?>' + dtd
                                     + body).encode("utf-16-le")
    return repack(good, folder / "utf16_entities.xlsx", replace={"xl/workbook.xml": encoded})


# --- zip bombs and forged zip directories --------------------------------------------

ROWS = b'<row><c t="n"><v>0</v></c></row>' * 32_768  # 1 MiB of sheet XML


def zip_bomb(good: Path, folder: Path, megabytes: int = 320) -> Path:
    """A real one: the Demand sheet is ``megabytes`` MiB of rows that deflate to ~1/400."""
    def huge_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        with archive.open(info, "w") as stream:
            stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                         b'spreadsheetml/2006/main"><sheetData>')
            for _ in range(megabytes):
                stream.write(ROWS)
            stream.write(b"</sheetData></worksheet>")

    return repack(good, folder / "zip_bomb.xlsx", write={DEMAND_PART: huge_sheet}, level=9)


def many_small_bombs(good: Path, folder: Path, parts: int, megabytes: int = 7) -> Path:
    """``parts`` extra parts of ``megabytes`` MiB each, every one under the ratio floor."""
    def bomb(k: int) -> Adder:
        def write(archive: zipfile.ZipFile) -> None:
            info = zipfile.ZipInfo(f"xl/media/blob{k}.bin")
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as stream:
                for _ in range(megabytes):
                    stream.write(b"\0" * MiB)
        return write

    return repack(good, folder / f"small_bombs_{parts}.xlsx",
                  add=[bomb(k) for k in range(parts)], level=9)


def many_entries(good: Path, folder: Path, count: int) -> Path:
    def empties(archive: zipfile.ZipFile) -> None:
        for k in range(count):
            archive.writestr(f"customXml/item{k}.bin", b"", zipfile.ZIP_STORED)

    return repack(good, folder / "many_entries.xlsx", add=[empties])


def _local(name: bytes, data: bytes) -> bytes:
    return struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, zlib.crc32(data),
                       len(data), len(data), len(name), 0) + name + data


def _central(name: bytes, data: bytes, offset: int) -> bytes:
    return struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, zlib.crc32(data),
                       len(data), len(data), len(name), 0, 0, 0, 0, 0, offset) + name


def _end(entries: int, size: int, offset: int) -> bytes:
    return struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, entries, entries, size, offset, 0)


def overlapping_entries(folder: Path) -> Path:
    """CVE-2024-0450's shape: one entry's stored data holds the next entry's local header.

    Both entries' names and CRCs are right, so zipfile before 3.11.8 reads
    them both, and the same compressed bytes count twice.
    """
    inner_name, outer_name = b"xl/worksheets/sheet1.xml", b"[Content_Types].xml"
    payload = b"<worksheet/>" * 100
    inner = _local(inner_name, payload)
    outer = _local(outer_name, inner)
    directory = _central(outer_name, inner, 0) + \
        _central(inner_name, payload, 30 + len(outer_name))
    blob = outer + directory + _end(2, len(directory), len(outer))
    path = folder / "overlapping.xlsx"
    path.write_bytes(blob)
    return path


def disagreeing_headers(folder: Path) -> Path:
    """A directory entry whose local header names another part."""
    data = b"<Types/>"
    local = _local(b"xl/other.xml", data)
    directory = _central(b"[Content_Types].xml", data, 0)
    path = folder / "disagreeing.xlsx"
    path.write_bytes(local + directory + _end(1, len(directory), len(local)))
    return path


def corrupted_part(good: Path, folder: Path) -> Path:
    """Damaged bytes inside a part's compressed data: the CRC check fails."""
    blob = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo(DEMAND_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 20, start + 40):
        blob[k] ^= 0x55
    path = folder / "corrupted.xlsx"
    path.write_bytes(bytes(blob))
    return path


# --- ranges openpyxl expands ---------------------------------------------------------

def merged_range(good: Path, folder: Path, ref: str, name: str) -> Path:
    sheet = after_sheet_data(part(good, DEMAND_PART),
                             f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
                             .encode())
    return repack(good, folder / name, replace={DEMAND_PART: sheet})


def hyperlinked_range(good: Path, folder: Path) -> Path:
    sheet = after_sheet_data(part(good, DEMAND_PART),
                             b"<hyperlinks><hyperlink ref=\"A1:XFD1048576\" "
                             b"location=\"'Demand'!A1\"/></hyperlinks>")
    return repack(good, folder / "hyperlinked_range.xlsx", replace={DEMAND_PART: sheet})


# --- OLE2 compound files ---------------------------------------------------------------

def compound_file(path: Path, streams: Iterable[str]) -> Path:
    """A minimal [MS-CFB] file (512-byte sectors) whose root holds empty ``streams``.

    Sector 0 is the FAT, sector 1 the directory; the streams are empty, as
    only their names matter to the planner.
    """
    names = list(streams)
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))

    def entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB3I", raw, 0x40, len(encoded), kind, 1, 0xFFFFFFFF, right, child)
        struct.pack_into("<I", raw, 0x74, 0xFFFFFFFE)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1 if names else 0xFFFFFFFF)]
    entries += [entry(n, 2, right=i + 2 if i + 1 < len(names) else 0xFFFFFFFF)
                for i, n in enumerate(names)]
    directory = b"".join(entries).ljust(512 * max(1, -(-len(entries) // 4)), b"\0")
    assert len(directory) == 512, "one directory sector is enough for these tests"
    path.write_bytes(bytes(header) + fat + directory)
    return path
