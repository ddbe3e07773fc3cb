"""Writing a result file without ever losing one (SPEC 5, RELIABILITY "Outputs").

- The new workbook goes to a temporary file in the output folder (same
  file system, so the rename is atomic), is flushed to disk, then replaces
  the target with :func:`os.replace`.  A crash or an error at any point
  before the rename leaves the previous result byte-identical and removes
  the temporary file.
- The target must not be the input workbook, whatever the path says
  (a symlink or a hard link to the input is the input): a planner who
  passes the same folder for input and output must not lose the input.
- The target must not be open in Excel or LibreOffice: both leave a lock
  file beside it (``~$name.xlsx``, ``.~lock.name.xlsx#``).  Replacing an
  open file fails on Windows and silently diverges from what the planner
  sees elsewhere, so we refuse and say what to do.
- The output folder is created when missing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from planner.errors import InputError


class OutputRefused(InputError):
    """The result cannot be written where asked (exit 2, with what to do)."""


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
                f"refusing to write the results over the input workbook {source} "
                f"(the output path {target} is the same file)",
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
