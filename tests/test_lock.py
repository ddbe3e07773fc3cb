"""The tested versions are locked (SPEC 4.6): what `make` installs is what the tests ran on."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)")


def _pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        found = PIN.match(line)
        if found:
            pins[_norm(found.group(1))] = found.group(2)
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return [_norm(re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]) for r in names]


def test_every_dependency_is_pinned_with_hashes() -> None:
    pins = _pins()
    missing = [name for name in _requirements() if name not in pins]
    assert not missing, f"not in {LOCK.name}: {missing} (run `make lock`)"
    text = LOCK.read_text(encoding="utf-8")
    assert text.count("--hash=sha256:") >= len(pins)  # pip installs with --require-hashes
    assert "pip-compile" in text  # made by the tool, with its command line, not by hand


def test_the_lock_holds_the_solver_back_from_its_faulty_release() -> None:
    hold = (ROOT / "requirements" / "hold.txt").read_text(encoding="utf-8")
    assert re.search(r"^highspy<1\.16", hold, re.MULTILINE)
    assert _pins()["highspy"].startswith("1.15.")


def test_the_make_targets_install_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = makefile[makefile.index("$(STAMP):"):makefile.index("demo:")]
    assert "--require-hashes -r $(LOCK)" in install and "--no-deps -e ." in install
    assert re.search(r"^test-latest:", makefile, re.MULTILINE)


@pytest.mark.skipif(os.environ.get("PLANNER_TEST_LATEST") == "1",
                    reason="make test-latest runs the tests on the newest releases, not the lock")
def test_the_installed_versions_are_the_locked_ones() -> None:
    """Run by `make test`: the suite passes on exactly the versions of the lock."""
    pins = _pins()
    different = {}
    for name in _requirements():
        installed = metadata.version(name)
        if installed != pins[name]:
            different[name] = (installed, pins[name])
    assert not different, f"installed != locked: {different}; run `make test` to reinstall"
