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
import errno
import os
import pwd
import re
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from course.grade.gradebook import COURSE_ID
from course.paths import REPO

MAX_BYTES = 50 * 1024 * 1024                 # one file
MAX_SUBMISSION_BYTES = 200 * 1024 * 1024     # one exchange submission
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


def collect(modules: list[str], course_root: Path = REPO, exchange_root: str | None = None,
            db_url: str | None = None) -> IntakeReport:
    """Collect the latest submission of each learner from nbgrader's exchange; report what was refused.

    Like `nbgrader collect --update` (same folders, same choice of the latest submission), but it
    trusts nothing in the exchange: an inbound folder `<learner>+<module>+<time>+<random>` counts
    for that learner only if the learner's account owns it, and only regular files of theirs are
    copied, opened without following links (a symlink or a hard link to a trainer's file is refused).
    With an exchange *service* configured (ngshare on Kubernetes: it knows each learner by their hub
    login, and there are no folders to check), `nbgrader collect --update` collects through it.
    """
    report = IntakeReport()
    course_root = Path(course_root).resolve()
    config = _nbgrader_config(course_root)
    if not exchange_root and config.get("ExchangeFactory", {}).get("collect"):
        return _collect_from_service(modules, course_root, db_url, report)
    root = exchange_root or config.get("Exchange", {}).get("root") or "/srv/nbgrader/exchange"
    inbound = Path(root) / COURSE_ID / "inbound"
    if not inbound.is_dir():
        report.unplaced.append((str(inbound), "no such exchange folder: is the course released on this machine "
                                              "(or pass --exchange-root)?"))
        return report
    for module in modules:
        latest: dict[str, tuple] = {}
        for entry in sorted(os.scandir(inbound), key=lambda e: e.name):
            parts = entry.name.rsplit("+", 3)
            if len(parts) < 3 or parts[1] != module:
                continue
            student, stamp = parts[0], parts[2]
            why = _refuse_folder(entry, student)
            if why:
                report.unplaced.append((entry.name, why))
                continue
            when = _parse_stamp(stamp)
            if when is None:
                report.unplaced.append((entry.name, f"the time in the folder name ({stamp!r}) is not a date"))
                continue
            if student not in latest or when > latest[student][0]:
                latest[student] = (when, entry)
        for student, (when, entry) in sorted(latest.items()):
            target = course_root / "submitted" / student / module
            existing = _parse_stamp(_read_text(target / "timestamp.txt")) if target.is_dir() else None
            if target.is_dir() and existing is not None and when <= existing:
                continue   # nothing newer than what was collected before
            _place_from_exchange(entry, student, module, target, report)
    return report


def _nbgrader_config(course_root: Path):
    """The nbgrader config files nbgrader itself would read here, merged (the course's last)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    merged = Config()
    for folder in [*reversed(jupyter_config_path()), str(course_root / "grading"), os.getcwd()]:
        try:
            merged.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
        except ConfigFileNotFound:
            continue
    return merged


def _collect_from_service(modules: list[str], course_root: Path, db_url: str | None,
                          report: IntakeReport) -> IntakeReport:
    """`nbgrader collect --update` through a configured exchange service; report what arrived."""
    from course.nbgrader_tools import run_nbgrader

    stamps = {p: p.read_bytes() for p in (course_root / "submitted").glob("*/*/timestamp.txt")}
    for module in modules:
        try:
            run_nbgrader("collect", module, "--update", root=course_root, db_url=db_url)
        except Exception as error:
            report.unplaced.append((module, f"nbgrader collect failed: {str(error).splitlines()[0]}"))
    for stamp in sorted((course_root / "submitted").glob("*/*/timestamp.txt")):
        if stamps.get(stamp) != stamp.read_bytes():
            report.placed.append((stamp.parent.parent.name, f"exchange: {stamp.parent.name}"))
    return report


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes()[:200].decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _parse_stamp(text: str):
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text) if text else None
    except (ValueError, OverflowError, TypeError):
        return None


def _refuse_folder(entry: os.DirEntry, student: str) -> str | None:
    """Why an inbound folder cannot be taken as `student`'s submission, or None."""
    info = entry.stat(follow_symlinks=False)
    if not stat.S_ISDIR(info.st_mode):
        return "not a folder (a link or a file) in the exchange; refused"
    try:
        uid = pwd.getpwnam(student).pw_uid
    except KeyError:
        return f"no account {student!r} on this machine, so it cannot be told who handed it in; refused"
    if info.st_uid != uid:
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = f"uid {info.st_uid}"
        return f"named for {student} but handed in by {owner} (the folder's owner); refused"
    return None


def _place_from_exchange(entry: os.DirEntry, student: str, module: str, target: Path,
                         report: IntakeReport) -> None:
    """Copy the learner's own regular files into submitted/<student>/<module>/ (replacing it)."""
    owner = entry.stat(follow_symlinks=False)
    staging = target.parent / f".{module}.collecting"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    refused_before = len(report.unplaced)
    try:
        folder_fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        report.unplaced.append((entry.name, f"cannot open the folder: {error.strerror}"))
        shutil.rmtree(staging)
        return
    try:
        opened = os.fstat(folder_fd)
        if (opened.st_ino, opened.st_dev) != (owner.st_ino, owner.st_dev):   # swapped since it was checked
            report.unplaced.append((entry.name, "the folder changed while it was being collected; refused"))
            shutil.rmtree(staging)
            return
        _copy_tree(folder_fd, Path(entry.name), staging, owner, report, 0)
    finally:
        os.close(folder_fd)
    notebooks = list(staging.glob("*.ipynb"))
    if not notebooks:
        report.unplaced.append((entry.name, "no notebook in it that could be collected; nothing placed"))
        shutil.rmtree(staging)
        return
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    refused = len(report.unplaced) - refused_before
    report.placed.append((student, f"exchange: {module}" + (f" ({refused} file(s) refused)" if refused else "")))


def _copy_tree(dir_fd: int, shown: Path, dest: Path, owner: os.stat_result, report: IntakeReport,
               total: int) -> int:
    """Copy regular files under an open folder; every other kind of entry is refused with a reason."""
    for entry in sorted(os.scandir(dir_fd), key=lambda e: e.name):
        name = shown / entry.name
        if entry.name in (".ipynb_checkpoints", "__pycache__"):
            continue
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(entry.name, flags | (os.O_DIRECTORY if entry.is_dir(follow_symlinks=False) else 0),
                         dir_fd=dir_fd)
        except OSError as error:
            why = "a symbolic link" if error.errno == errno.ELOOP else f"cannot be opened ({error.strerror})"
            report.unplaced.append((str(name), f"{why}; refused, only the learner's own files are collected"))
            continue
        try:
            info = os.fstat(fd)
            why = None
            if info.st_dev != owner.st_dev:
                why = "on another file system (a mount); refused"
            elif info.st_uid != owner.st_uid:
                why = "owned by another account than the learner's; refused"
            elif stat.S_ISDIR(info.st_mode):
                sub = dest / entry.name
                sub.mkdir()
                total = _copy_tree(fd, name, sub, owner, report, total)
                continue
            elif not stat.S_ISREG(info.st_mode):
                why = "not a regular file (a device, pipe or socket); refused"
            elif info.st_nlink != 1:
                why = "a hard link (the same file is elsewhere on the machine); refused"
            elif info.st_size > MAX_BYTES or total + info.st_size > MAX_SUBMISSION_BYTES:
                why = f"too large ({info.st_size / 2**20:,.1f} MB); refused"
            if why:
                report.unplaced.append((str(name), why))
                continue
            with os.fdopen(os.dup(fd), "rb") as source, open(dest / entry.name, "xb") as copy:
                shutil.copyfileobj(source, copy)
            os.utime(dest / entry.name, ns=(info.st_atime_ns, info.st_mtime_ns))
            total += info.st_size
        finally:
            os.close(fd)
    return total


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


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, checked against its CRC; never more than MAX_BYTES (a header can lie)."""
    with archive.open(info) as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"it unpacks to more than {MAX_BYTES // 2**20} MB")
    return data


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
                try:
                    data = _read_entry(archive, info)
                    when = dt.datetime(*info.date_time, tzinfo=dt.timezone.utc)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                        NotImplementedError, RuntimeError) as error:
                    report.unplaced.append((name, f"damaged in the zip, could not be read ({_one_line(error)}); "
                                                  "download it from the LMS again"))
                    continue
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
