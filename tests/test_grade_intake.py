"""Intake trusts nothing it is handed: LMS zips with damaged entries, exchange folders with links,
hard links and folders handed in under another learner's name."""
from __future__ import annotations

import os
import subprocess
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grade.cli import main as grade_main
from course.grade.intake import collect, import_lms

MODULE = "grade-demo"


def notebook_bytes(code: str = "revenue = 1200") -> bytes:
    return nbformat.writes(new_notebook(cells=[new_code_cell(code)])).encode()


def corrupt_entry(archive: Path, name: str) -> None:
    """Flip bytes in the middle of one entry's compressed data (its CRC or inflate fails)."""
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo(name)
    raw = bytearray(archive.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26:header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28:header + 30], "little")
    start = header + 30 + name_len + extra_len
    for offset in range(start + 5, start + min(info.compress_size - 5, 40)):
        raw[offset] ^= 0xA5
    archive.write_bytes(bytes(raw))


def test_one_corrupt_zip_entry_is_reported_and_the_others_are_placed(tmp_path):
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ana.ipynb", notebook_bytes("revenue = 1" + " " * 400))
        z.writestr("bo.ipynb", notebook_bytes("revenue = 2" + " # padding" * 200))
        z.writestr("cy.ipynb", notebook_bytes("revenue = 3"))
    corrupt_entry(archive, "bo.ipynb")
    course = tmp_path / "course"
    report = import_lms(archive, MODULE, course)
    assert sorted(s for s, _ in report.placed) == ["ana", "cy"]
    reasons = dict(report.unplaced)
    assert list(reasons) == ["bo.ipynb"]
    assert "damaged in the zip" in reasons["bo.ipynb"] and "again" in reasons["bo.ipynb"]
    assert not (course / "submitted" / "bo").exists()
    placed = nbformat.reads((course / "submitted" / "cy" / MODULE / f"{MODULE}.ipynb").read_text(), 4)
    assert placed.cells[0].source == "revenue = 3"


STAMP = "2026-11-21 09:00:00.000000 UTC"
LATER = "2026-11-22 09:00:00.000000 UTC"


@pytest.fixture
def learners():
    """Two temporary Unix accounts, `cltest17_…`, removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("creating learner accounts needs root")
    names = [f"cltest17_{uuid.uuid4().hex[:6]}" for _ in range(2)]
    for name in names:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
    yield names
    for name in names:
        subprocess.run(["userdel", name], capture_output=True)


def owned(path: Path, user: str) -> None:
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    for item in [path, *path.rglob("*")]:
        os.lchown(item, uid, uid)


def hand_in(inbound: Path, user: str, stamp: str = STAMP, *, owner: str | None = None,
            code: str = "revenue = 1200") -> Path:
    folder = inbound / f"{user}+{MODULE}+{stamp}+{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_bytes(notebook_bytes(code))
    (folder / "timestamp.txt").write_text(stamp)
    owned(folder, owner or user)
    return folder


def test_collect_copies_only_the_learners_own_files_and_reports_every_refusal(tmp_path, learners):
    ana, bo = learners
    trainer = tmp_path / "course"
    (trainer / "modules" / MODULE).mkdir(parents=True)
    secret = trainer / "modules" / MODULE / f"{MODULE}.ipynb"
    secret.write_text("### BEGIN HIDDEN TESTS\nassert revenue == 1200\n### END HIDDEN TESTS")
    inbound = tmp_path / "exchange" / "coaching-lab" / "inbound"
    folder = hand_in(inbound, ana)
    (folder / "notes.txt").write_text("my working")
    (folder / "data").mkdir()
    (folder / "data" / "deals.csv").write_text("rep,amount\n")
    os.symlink(secret, folder / "answer_key.ipynb")                  # a link to the trainer's file
    os.symlink(trainer / "modules", folder / "sources")              # a link to the trainer's folder
    os.link(secret, folder / "hardlinked.ipynb")                      # a hard link to it
    (folder / "mine.txt").write_text("x")
    os.link(folder / "mine.txt", folder / "mine-again.txt")           # a hard link even to their own file
    os.mkfifo(folder / "pipe")                                        # would block a plain copy
    owned(folder, ana)
    os.chown(folder / "hardlinked.ipynb", 0, 0)                       # the trainer's file stays the trainer's

    report = collect([MODULE], trainer, str(tmp_path / "exchange"))
    target = trainer / "submitted" / ana / MODULE
    assert [s for s, _ in report.placed] == [ana]
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == \
        sorted([f"{MODULE}.ipynb", "timestamp.txt", "notes.txt", "data", "data/deals.csv"])
    assert not any(p.is_symlink() for p in target.rglob("*"))
    assert "HIDDEN" not in "".join(p.read_text() for p in target.rglob("*") if p.is_file())
    reasons = {Path(name).name: why for name, why in report.unplaced}
    assert "symbolic link" in reasons["answer_key.ipynb"] and "symbolic link" in reasons["sources"]
    assert "another account" in reasons["hardlinked.ipynb"]
    assert "hard link" in reasons["mine.txt"] and "hard link" in reasons["mine-again.txt"]
    assert "not a regular file" in reasons["pipe"]


def test_a_folder_named_for_another_learner_is_refused_and_never_replaces_their_work(tmp_path, learners, capsys):
    ana, bo = learners
    trainer = tmp_path / "course"
    (trainer / "modules" / MODULE).mkdir(parents=True)
    inbound = tmp_path / "exchange" / "coaching-lab" / "inbound"
    hand_in(inbound, ana, code="revenue = 1200  # ana's honest work")
    forged = hand_in(inbound, ana, LATER, owner=bo, code="revenue = 0")      # bo poses as ana, later
    ghost = hand_in(inbound, "cltest17_noone", owner=bo)                     # no such account
    linked = inbound / f"{bo}+{MODULE}+{LATER}+link"
    os.symlink(forged, linked)
    report = collect([MODULE], trainer, str(tmp_path / "exchange"))
    assert [s for s, _ in report.placed] == [ana]
    placed = (trainer / "submitted" / ana / MODULE / f"{MODULE}.ipynb").read_text()
    assert "honest work" in placed
    reasons = dict(report.unplaced)
    assert f"handed in by {bo}" in reasons[forged.name]
    assert "no account" in reasons[ghost.name]
    assert "not a folder" in reasons[linked.name]
    assert not (trainer / "submitted" / "cltest17_noone").exists()

    # a later honest submission replaces the earlier one; running again changes nothing
    hand_in(inbound, ana, LATER, code="revenue = 1200  # ana's second try")
    assert [s for s, _ in collect([MODULE], trainer, str(tmp_path / "exchange")).placed] == [ana]
    assert "second try" in (trainer / "submitted" / ana / MODULE / f"{MODULE}.ipynb").read_text()
    assert collect([MODULE], trainer, str(tmp_path / "exchange")).placed == []
    # the command names each refused folder and exits 1
    code = grade_main(["grade", "collect", MODULE, "--course-root", str(trainer),
                       "--exchange-root", str(tmp_path / "exchange")])
    out = capsys.readouterr().out
    assert code == 1 and forged.name in out and "refused" in out


def test_with_an_exchange_service_collect_goes_through_nbgrader(tmp_path, monkeypatch):
    """ngshare (Kubernetes) knows learners by their hub login; there are no folders to check."""
    from traitlets.config import Config

    import course.grade.intake as intake
    import course.nbgrader_tools as tools

    config = Config()
    config.ExchangeFactory.collect = "ngshare_exchange.collect.ExchangeCollect"
    monkeypatch.setattr(intake, "_nbgrader_config", lambda root: config)
    calls = []

    def fake_collect(*args, root, db_url=None):
        calls.append(args)
        folder = root / "submitted" / "ana" / MODULE
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text(STAMP)
        return ""

    monkeypatch.setattr(tools, "run_nbgrader", fake_collect)
    report = collect([MODULE], tmp_path / "course")
    assert calls == [("collect", MODULE, "--update")]
    assert report.placed == [("ana", f"exchange: {MODULE}")]
