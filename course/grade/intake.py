"""Intake: collect submissions from the nbgrader exchange, or import an LMS download.

An LMS download is a folder or a zip of notebooks named per learner, for example
`Ana Lima_1234_assignsubmission_file_/module.ipynb` (Moodle), `limaana_1234_5678_module.ipynb`
(Canvas), `ana.ipynb` or `ana/module.ipynb`. Each notebook lands where nbgrader's `collect` would
put it, `submitted/<student>/<module>/<module>.ipynb`, with a `timestamp.txt` from the file's date,
and a `<module>.answers.json` next to it goes along. Every file that could not be placed is
reported with the reason; nothing already in `submitted/` is replaced unless asked.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course.nbgrader_tools import run_nbgrader
from course.paths import REPO

MAX_BYTES = 50 * 1024 * 1024
ANSWERS = ".answers.json"


@dataclass
class IntakeReport:
    placed: list[tuple[str, str]] = field(default_factory=list)      # (student, file it came from)
    unplaced: list[tuple[str, str]] = field(default_factory=list)    # (file, why)

    def lines(self) -> list[str]:
        out = [f"placed {len(self.placed)} submission(s)"]
        out += [f"  {student}: {name}" for student, name in self.placed]
        if self.unplaced:
            out.append(f"could not place {len(self.unplaced)} file(s):")
            out += [f"  {name}: {why}" for name, why in self.unplaced]
        return out


def collect(modules: list[str], course_root: Path = REPO, db_url: str | None = None,
            exchange_root: str | None = None) -> IntakeReport:
    """`nbgrader collect --update` for each module; report what arrived in submitted/."""
    report = IntakeReport()
    course_root = Path(course_root).resolve()
    before = {p for p in (course_root / "submitted").glob("*/*/timestamp.txt")}
    stamps = {p: p.read_bytes() for p in before}
    extra = [f"--Exchange.root={exchange_root}"] if exchange_root else []
    for module in modules:
        try:
            run_nbgrader("collect", module, "--update", *extra, root=course_root, db_url=db_url)
        except Exception as error:
            report.unplaced.append((module, f"nbgrader collect failed: {str(error).splitlines()[0]}"))
    for stamp in sorted((course_root / "submitted").glob("*/*/timestamp.txt")):
        if stamp not in before or stamps[stamp] != stamp.read_bytes():
            report.placed.append((stamp.parent.parent.name, f"exchange: {stamp.parent.name}"))
    return report


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-.")


def default_learner_key(relpath: str) -> str:
    """The learner part of a file's path in an LMS download."""
    first = relpath.split("/")[0]
    if "/" not in relpath:
        first = first.rsplit(".", 1)[0].removesuffix(ANSWERS.rsplit(".", 1)[0])
    return first.split("_")[0]


def load_roster(path: Path) -> dict[str, str]:
    """CSV with a `student_id` column and any of `lms_name`, `lms_user_id`, `email`: key -> student id."""
    mapping = {}
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            for key in ("lms_name", "lms_user_id", "email", "student_id"):
                if row.get(key):
                    mapping[slug(row[key])] = row["student_id"].strip()
    return mapping


def _entries(source: Path, report: IntakeReport):
    """(relative path, read bytes callable, timestamp) for each file of a folder or a zip."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                name = info.filename
                if not info.flag_bits & 0x800 and not name.isascii():
                    try:
                        name = name.encode("cp437").decode("utf-8")
                    except UnicodeError:
                        report.unplaced.append((name, "file name is not UTF-8 (a legacy encoding); "
                                                      "rename it to the learner's id and import it again"))
                        continue
                if info.file_size > MAX_BYTES:
                    report.unplaced.append((name, f"larger than {MAX_BYTES // 2**20} MB"))
                    continue
                when = dt.datetime(*info.date_time, tzinfo=dt.timezone.utc)
                data = archive.read(info)
                yield name, (lambda data=data: data), when
    elif source.is_dir():
        for folder, dirs, files in os.walk(source):
            dirs.sort()
            for filename in sorted(files):
                path = Path(folder) / filename
                rel = path.relative_to(source).as_posix()
                try:
                    rel.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(rel).decode("utf-8", "replace")
                    report.unplaced.append((shown, "file name is not valid UTF-8; rename it to the learner's id "
                                                   "and import it again"))
                    continue
                if path.is_symlink() or not path.is_file():
                    report.unplaced.append((rel, "not a regular file (a link or a device)"))
                    continue
                if path.stat().st_size > MAX_BYTES:
                    report.unplaced.append((rel, f"larger than {MAX_BYTES // 2**20} MB"))
                    continue
                when = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
                yield rel, path.read_bytes, when
    else:
        raise FileNotFoundError(f"{source}: not a folder or a zip file")


def import_lms(source: Path, module: str, course_root: Path = REPO, pattern: str | None = None,
               roster: Path | None = None, replace: bool = False) -> IntakeReport:
    """Place an LMS download's notebooks as submissions of `module`; report what could not be placed."""
    course_root = Path(course_root).resolve()
    report = IntakeReport()
    regex = re.compile(pattern) if pattern else None
    names = load_roster(roster) if roster else None
    chosen: dict[str, dict[str, tuple]] = {}   # student -> kind -> (rel, read, when)
    for rel, read, when in _entries(Path(source), report):
        base = rel.rsplit("/", 1)[-1]
        if base.startswith(".") or "__MACOSX" in rel:
            report.unplaced.append((rel, "system file, not a submission"))
            continue
        kind = "answers" if base.endswith(ANSWERS) else "notebook" if base.endswith(".ipynb") else None
        if kind is None:
            report.unplaced.append((rel, "not a notebook (.ipynb) or an answers file (.answers.json)"))
            continue
        if regex:
            match = regex.search(rel)
            key = match.group("student") if match else ""
        else:
            key = default_learner_key(rel)
        student = names.get(slug(key)) if names is not None else slug(key)
        if not student:
            why = (f"learner {key!r} is not in the roster" if names is not None and key
                   else "no learner id in the file name")
            report.unplaced.append((rel, why))
            continue
        previous = chosen.setdefault(student, {}).get(kind)
        if previous:
            older, newer = sorted([previous, (rel, read, when)], key=lambda e: e[2])
            report.unplaced.append((older[0], f"an older duplicate of {newer[0]} for learner {student}"))
            chosen[student][kind] = newer
        else:
            chosen[student][kind] = (rel, read, when)
    for student, files in sorted(chosen.items()):
        if "notebook" not in files:
            report.unplaced.append((files["answers"][0], f"answers file without a notebook for learner {student}"))
            continue
        target = course_root / "submitted" / student / module
        if target.exists() and not replace:
            for rel, _, _ in files.values():
                report.unplaced.append((rel, f"{student} already has a submission of {module}; "
                                             "pass --replace to overwrite it"))
            continue
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        rel, read, when = files["notebook"]
        (target / f"{module}.ipynb").write_bytes(read())
        if "answers" in files:
            (target / f"{module}{ANSWERS}").write_bytes(files["answers"][1]())
        (target / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        report.placed.append((student, rel))
    return report
