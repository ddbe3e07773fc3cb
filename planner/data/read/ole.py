"""What an OLE2 (Compound File) container holds, read from its directory alone.

Two kinds of file reach the planner in this container, and they need
different advice: an Excel 97-2003 workbook (``.xls``: a ``Workbook`` or
``Book`` stream) must be saved as .xlsx, while a password-protected .xlsx
(Excel and LibreOffice encrypt the whole package into ``EncryptedPackage``
beside ``EncryptionInfo``) must be saved without its password.  Only the
stream names tell them apart, so this module walks the directory chain
of [MS-CFB] and nothing else: no stream is read, every read is bounded,
and a damaged file gives an empty answer instead of an error.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_BYTES = 512
ENTRY_BYTES = 128
MAX_DIRECTORY_SECTORS = 256
"""Directory sectors followed at most (4 096 entries with 4 KB sectors): a
workbook's directory holds a few dozen entries."""
_END_OF_CHAIN = 0xFFFFFFFE
_HEADER_FAT_SECTORS = 109

ENCRYPTED_STREAMS = frozenset({"EncryptionInfo", "EncryptedPackage"})
XLS_STREAMS = frozenset({"Workbook", "Book"})


def stream_names(handle: BinaryIO) -> set[str]:
    """Names of the storages and streams in the compound file open in ``handle``.

    Empty when the header or the directory chain is damaged: the caller
    then gives its generic advice.
    """
    handle.seek(0)
    header = handle.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        return set()
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    sector = 1 << shift
    first_directory = struct.unpack_from("<I", header, 0x30)[0]
    fat_sectors = struct.unpack_from(f"<{_HEADER_FAT_SECTORS}I", header, 0x4C)

    def read_sector(number: int) -> bytes:
        handle.seek((number + 1) * sector)
        return handle.read(sector)

    def next_sector(number: int) -> int | None:
        per_sector = sector // 4
        index, offset = divmod(number, per_sector)
        if index >= len(fat_sectors):
            return None  # beyond the header's FAT list: a directory never is
        fat = read_sector(fat_sectors[index])
        if len(fat) < sector:
            return None
        return struct.unpack_from("<I", fat, offset * 4)[0]

    names: set[str] = set()
    current: int | None = first_directory
    seen: set[int] = set()
    while current is not None and current != _END_OF_CHAIN and current not in seen \
            and len(seen) < MAX_DIRECTORY_SECTORS:
        seen.add(current)
        data = read_sector(current)
        if len(data) < sector:
            break
        for start in range(0, sector, ENTRY_BYTES):
            names.update(_entry_name(data[start:start + ENTRY_BYTES]))
        current = next_sector(current)
    return names


def _entry_name(entry: bytes) -> list[str]:
    """The name of one directory entry, or nothing for an unused one."""
    length = struct.unpack_from("<H", entry, 0x40)[0]
    kind = entry[0x42]
    if kind == 0 or not 2 <= length <= 64 or length % 2:
        return []
    return [entry[:length - 2].decode("utf-16-le", errors="replace")]
