"""LibreOffice as a real client: headless conversions for the tests.

Every call gets a timeout and a private user profile (``-env:UserInstallation``)
in the test's folder, so runs never share or touch a real profile, and
``HOME`` points there too.  soffice exits 0 even when it could not load a
file, so :func:`convert` checks that every expected output exists.

Where ``soffice`` is missing the tests skip, saying why; under CI (``CI``
set, as ``.ci/run`` runs) or with ``PLANNER_REQUIRE_SOFFICE=1`` they fail
instead, because ``.ci/run`` installs ``libreoffice-calc-nogui`` and a
skip there would hide a broken install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 180

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
"""Field separator ``,``, quote ``"``, UTF-8, from line 1, raw values (not as
shown), one file per sheet (``-1``): ``out/<stem>-<Sheet>.csv``."""

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
"""Tools > Options > Calc > Formula > "Recalculation on file load": Always
(0; the default, 1, is Never, which keeps a stale saved value such as the 0
that xlsxwriter writes)."""


def soffice() -> str:
    """The soffice executable, or a skip (a failure under CI) saying why."""
    if SOFFICE is not None:
        return SOFFICE
    reason = ("soffice (LibreOffice) is not installed: `apt-get install "
              "libreoffice-calc-nogui` (.ci/run does it when missing)")
    if os.environ.get("CI") or os.environ.get("PLANNER_REQUIRE_SOFFICE") == "1":
        pytest.fail(reason + "; under CI these tests must run, not skip")
    pytest.skip(reason)
    raise AssertionError("unreachable")


def profile(folder: Path, *, recalculate: bool) -> Path:
    """A fresh user profile; with ``recalculate``, formulas are recalculated on load."""
    path = folder / "profile"
    if recalculate:
        (path / "user").mkdir(parents=True, exist_ok=True)
        (path / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    return path


def convert(files: list[Path], to: str, outdir: Path, *, folder: Path,
            recalculate: bool = False) -> subprocess.CompletedProcess[str]:
    """Convert ``files`` in one soffice call (``to``: ``xlsx``, or :data:`CSV_FILTER`)."""
    executable = soffice()
    user = profile(folder, recalculate=recalculate)
    done = subprocess.run(
        [executable, f"-env:UserInstallation={user.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
        env={**os.environ, "HOME": str(folder)})
    assert done.returncode == 0, done.stderr
    return done


def converted_xlsx(files: list[Path], outdir: Path, *, folder: Path,
                   recalculate: bool = False) -> dict[Path, Path]:
    """Each file saved again by LibreOffice as .xlsx; fails if one did not come out."""
    done = convert(files, "xlsx", outdir, folder=folder, recalculate=recalculate)
    out = {f: outdir / f"{f.stem}.xlsx" for f in files}
    missing = [str(f) for f, o in out.items() if not o.exists()]
    assert not missing, f"LibreOffice did not save {missing}: {done.stdout} {done.stderr}"
    return out
