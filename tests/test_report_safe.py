"""Never lose a file: not the input, not an open workbook, not the previous result."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from planner.errors import InputError
from planner.report import OutputRefused, RunRecord, atomic_target, check_target, write_results
from planner.report.workbook import output_path
from tests.report_instances import fixed_run


def write(regional_solved, path: Path, input_path: Path | None = None) -> Path:
    data, solution, results = regional_solved
    run = RunRecord.create(input_path, data, solution, wall_seconds=1.0)
    return write_results(path, data, results, run, draw_map=False)


@pytest.fixture()
def input_book(tmp_path) -> Path:
    path = tmp_path / "inputs" / "region.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"the planner's precious input")
    return path


def test_writing_over_the_input_is_refused(regional_solved, input_book) -> None:
    with pytest.raises(OutputRefused, match="is the input workbook itself") as info:
        write(regional_solved, input_book, input_path=input_book)
    assert isinstance(info.value, InputError) and info.value.exit_code == 2
    assert "another output folder" in info.value.advice
    assert input_book.read_bytes() == b"the planner's precious input"


def test_writing_over_the_input_through_another_spelling_is_refused(regional_solved, input_book,
                                                                    monkeypatch) -> None:
    monkeypatch.chdir(input_book.parent)
    with pytest.raises(OutputRefused):
        write(regional_solved, Path("..") / "inputs" / "." / "region.xlsx", input_path=input_book)


def test_writing_over_the_input_through_a_symlink_is_refused(regional_solved, input_book,
                                                             tmp_path) -> None:
    link = tmp_path / "out" / "region__baseline.xlsx"
    link.parent.mkdir()
    link.symlink_to(input_book)
    with pytest.raises(OutputRefused):
        write(regional_solved, link, input_path=input_book)
    assert input_book.read_bytes() == b"the planner's precious input"
    assert link.is_symlink()


def test_writing_over_the_input_through_a_hard_link_is_refused(regional_solved, input_book,
                                                               tmp_path) -> None:
    link = tmp_path / "hard.xlsx"
    os.link(input_book, link)
    with pytest.raises(OutputRefused):
        write(regional_solved, link, input_path=input_book)
    assert input_book.read_bytes() == b"the planner's precious input"


def test_the_input_named_in_the_data_is_protected_too(regional_solved, input_book) -> None:
    data, solution, results = regional_solved
    from dataclasses import replace
    with pytest.raises(OutputRefused):
        write_results(input_book, replace(data, source=str(input_book)), results,
                      fixed_run(data, solution), draw_map=False)


@pytest.mark.parametrize("lock", ["~${name}", ".~lock.{name}#"])
def test_an_open_workbook_is_refused_with_what_to_do(regional_solved, tmp_path, lock) -> None:
    target = tmp_path / "region__baseline.xlsx"
    write(regional_solved, target)
    before = target.read_bytes()
    (tmp_path / lock.format(name=target.name)).write_text("owner")
    with pytest.raises(OutputRefused, match="open in a spreadsheet") as info:
        write(regional_solved, target)
    assert "Close the file" in info.value.advice and "delete" in info.value.advice
    assert target.read_bytes() == before


def test_a_lock_on_another_workbook_does_not_matter(regional_solved, tmp_path) -> None:
    (tmp_path / "~$other.xlsx").write_text("owner")
    assert write(regional_solved, tmp_path / "mine.xlsx").exists()


def test_a_crash_while_saving_keeps_the_previous_file_and_leaves_no_temporary(
        regional_solved, tmp_path, monkeypatch) -> None:
    target = tmp_path / "region__baseline.xlsx"
    write(regional_solved, target)
    before = target.read_bytes()
    # openpyxl's write-only sheets spool to the system temp folder: give this test its
    # own, so other processes' files cannot be mistaken for leftovers
    own_temp = tmp_path / "system-temp"
    own_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    real_save = Workbook.save

    def crash_midway(self, filename):
        real_save(self, filename)  # a complete file first: the crash comes after
        with open(filename, "r+b") as f:
            f.truncate(1000)
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        write(regional_solved, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, own_temp.name])
    assert list(own_temp.iterdir()) == []


def test_a_crash_while_building_keeps_the_previous_file(
        regional_solved, tmp_path, monkeypatch) -> None:
    target = tmp_path / "r.xlsx"
    write(regional_solved, target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("bug in a sheet")

    monkeypatch.setattr("planner.report.workbook.trainers_block", boom)
    with pytest.raises(RuntimeError):
        write(regional_solved, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_the_output_folder_is_created_and_the_file_is_an_ordinary_one(
        regional_solved, tmp_path) -> None:
    target = tmp_path / "new" / "deeper" / "r.xlsx"
    write(regional_solved, target)
    assert openpyxl.load_workbook(target, read_only=True).sheetnames[:2] == ["Overview",
                                                                             "Summary"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_replacing_a_previous_result_works(regional_solved, tmp_path) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old result")
    write(regional_solved, target)
    assert target.read_bytes()[:2] == b"PK"


def test_a_folder_as_target_is_refused(tmp_path) -> None:
    with pytest.raises(OutputRefused, match="is a folder"):
        check_target(tmp_path)


def test_atomic_target_only_replaces_on_success(tmp_path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(KeyError):
        with atomic_target(target) as tmp:
            tmp.write_text("half")
            raise KeyError("stop")
    assert target.read_text() == "old"
    with atomic_target(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_output_path_follows_the_spec_and_is_file_safe() -> None:
    assert output_path("outputs", "inputs/hauts_de_france_2030.xlsx", "baseline") == Path(
        "outputs/hauts_de_france_2030__baseline.xlsx")
    assert output_path("o", "i.xlsx", "45-min access/limit") == Path("o/i__45-min_access_limit.xlsx")


def test_a_process_killed_while_writing_leaves_the_previous_file(tmp_path) -> None:
    """A real crash (SIGKILL, no ``finally``): the target is untouched; only a hidden
    temporary file may stay behind, never something named like a result."""
    import subprocess
    import sys
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"previous result")
    code = (
        "import sys, time\n"
        "from planner.xlsx import atomic_target\n"
        f"with atomic_target({str(target)!r}) as tmp:\n"
        "    with open(tmp, 'wb') as f:\n"
        "        f.write(b'PK half a workbook')\n"
        "        f.flush()\n"
        "        print('writing', flush=True)\n"
        "        time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[1])
    try:
        assert child.stdout is not None and child.stdout.readline() == b"writing\n"
    finally:
        child.kill()
        child.wait(timeout=30)
    assert target.read_bytes() == b"previous result"
    left = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(left) == 1 and left[0].startswith(".r.") and left[0].endswith(".tmp")
