"""`course hub …`: run a cohort on one Linux machine with JupyterHub, one Unix account per learner.

Everything lives under one prefix (default /srv/coaching-lab):

    venv/       the course environment: JupyterHub, JupyterLab, nbgrader and the kernel (all may read)
    node/       configurable-http-proxy, from the npm registry
    course/     the trainers' nbgrader course: sources, answer key, gradebook (trainer group only)
    exchange/   nbgrader's filesystem exchange; its course folder belongs to the trainer group (groupshared)
    jupyter/    Jupyter config per role: learner/ and trainer/ (formgrader for trainers only)
    hub/        JupyterHub's config, settings.json, database, cookie secret, log (root only)
    state/      accounts this prefix created and first-login passwords (root only)
    archive/    learners' home folders, archived before `down --remove-accounts` deletes them
    records/    the widget-records service's sqlite file (root only; see course.hub_records)

`up` is idempotent: running it again adds what is missing and keeps every file that exists.
"""
from __future__ import annotations

import csv
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from string import Template

from course.paths import REPO

DEFAULT_PREFIX = Path("/srv/coaching-lab")
DEFAULT_ARCHIVE = Path("/var/backups/coaching-lab")
COURSE_ID = "coaching-lab"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LEARNERS = "coaching-learners"
TRAINERS = "coaching-trainers"
PROXY_PACKAGE = "configurable-http-proxy@^5"
DEPLOY = REPO / "deploy"
ROSTER_COLUMNS = ("learner_id", "name", "email")
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
# What `up` copies into the trainers' course folder: the repository minus generated folders.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".ipynb_checkpoints", "release",
    "submitted", "autograded", "feedback", "workspace", "test-output", "build", "gradebook.db",
    "*.answers.json",
)


class HubError(RuntimeError):
    """The deployment cannot go on; the message says what to fix."""


@dataclass(frozen=True)
class Learner:
    learner_id: str
    name: str
    email: str


class Layout:
    """Where each part of a deployment lives under its prefix (see the module docstring)."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = Path(prefix).resolve()
        self.venv, self.node, self.course = self.prefix / "venv", self.prefix / "node", self.prefix / "course"
        self.exchange, self.jupyter = self.prefix / "exchange", self.prefix / "jupyter"
        self.hub, self.state, self.archive = self.prefix / "hub", self.prefix / "state", self.prefix / "archive"
        self.records = self.prefix / "records"
        self.python = self.venv / "bin" / "python"
        self.proxy = self.node / "node_modules" / ".bin" / "configurable-http-proxy"
        self.accounts = self.state / "accounts.json"
        self.passwords = self.state / "first-login-passwords.csv"
        self.pid_file, self.log = self.hub / "jupyterhub.pid", self.hub / "jupyterhub.log"


# ---------------------------------------------------------------------------------------------
# Roster and accounts

def read_roster(path: Path) -> list[Learner]:
    """Learners from a roster CSV (learner_id, name, email); every problem is reported at once."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ROSTER_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise HubError(f"{path}: missing column(s) {', '.join(missing)}; the roster needs a header row "
                               f"{','.join(ROSTER_COLUMNS)}")
            rows = list(reader)
    except OSError as error:
        raise HubError(f"{path}: cannot read the roster ({error.strerror})") from None
    learners, problems, seen = [], [], set()
    for line, row in enumerate(rows, start=2):
        learner_id, name, email = ((row.get(c) or "").strip() for c in ROSTER_COLUMNS)
        if not USERNAME.match(learner_id):
            problems.append(f"row {line}: learner_id {learner_id!r} is not a valid account name "
                            "(lowercase letters, digits, '_' or '-', starting with a letter, at most 32)")
        elif learner_id in seen:
            problems.append(f"row {line}: learner_id {learner_id!r} appears twice")
        if not name or any(ch in name for ch in ":,\n"):
            problems.append(f"row {line}: name {name!r} is empty or holds ':' or ','")
        if not EMAIL.match(email):
            problems.append(f"row {line}: email {email!r} is not an email address")
        seen.add(learner_id)
        learners.append(Learner(learner_id, name, email))
    if problems:
        raise HubError(f"{path}: fix these rows, then run the command again:\n  " + "\n  ".join(problems))
    if not learners:
        raise HubError(f"{path}: the roster has no learners")
    return learners


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _groups_of(name: str) -> set[str]:
    user = pwd.getpwnam(name)
    return {grp.getgrgid(gid).gr_name for gid in os.getgrouplist(name, user.pw_gid)}


def _run(*command: str, input: str | None = None) -> None:
    result = subprocess.run(command, input=input, capture_output=True, text=True)
    if result.returncode:
        raise HubError(f"`{command[0]}` failed (exit {result.returncode}): {result.stderr.strip()}")


def _load_accounts(layout: Layout) -> dict:
    if layout.accounts.exists():
        return json.loads(layout.accounts.read_text())
    return {"created_users": [], "created_groups": []}


def _save_accounts(layout: Layout, accounts: dict) -> None:
    layout.accounts.write_text(json.dumps(accounts, indent=2) + "\n")


def _ensure_group(layout: Layout, accounts: dict, group: str) -> None:
    try:
        grp.getgrnam(group)
    except KeyError:
        _run("groupadd", group)
        accounts["created_groups"].append(group)
        _save_accounts(layout, accounts)


def _create_account(layout: Layout, accounts: dict, name: str, comment: str, group: str) -> str:
    """A new Unix account with a private home and a random password, which is returned."""
    _run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", comment, "--groups", group, name)
    accounts["created_users"].append(name)
    _save_accounts(layout, accounts)
    Path(pwd.getpwnam(name).pw_dir).chmod(0o700)
    password = secrets.token_urlsafe(12)
    _run("chpasswd", input=f"{name}:{password}\n")
    return password


def _record_passwords(layout: Layout, rows: list[tuple[str, str, str, str]]) -> None:
    """Append first-login passwords to a root-only CSV, for the operator's mail merge."""
    new_file = not layout.passwords.exists()
    fd = os.open(layout.passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "w", newline="") as handle:
        writer = csv.writer(handle)
        if new_file:
            writer.writerow(["account", "name", "email", "first_login_password"])
        writer.writerows(rows)


def add_learners(layout: Layout, roster: Path, trainer: str | None = None) -> list[str]:
    """Create an account for every roster learner who has none; return the new account names."""
    learners = read_roster(roster)
    clashes = [l.learner_id for l in learners
               if _user_exists(l.learner_id) and LEARNERS not in _groups_of(l.learner_id)]
    if clashes:
        raise HubError(f"{roster}: these accounts exist on this machine but are not learners: "
                       f"{', '.join(clashes)}. Give those learners another learner_id.")
    accounts = _load_accounts(layout)
    _ensure_group(layout, accounts, LEARNERS)
    created, passwords = [], []
    for learner in learners:
        if _user_exists(learner.learner_id):
            continue
        password = _create_account(layout, accounts, learner.learner_id, learner.name, LEARNERS)
        passwords.append((learner.learner_id, learner.name, learner.email, password))
        created.append(learner.learner_id)
    _record_passwords(layout, passwords)
    _import_students(layout, learners, trainer)
    return created


def add_trainers(layout: Layout, trainers: list[str]) -> None:
    """Put each trainer in the trainer group, creating the account if needed."""
    accounts = _load_accounts(layout)
    _ensure_group(layout, accounts, TRAINERS)
    for name in trainers:
        if not USERNAME.match(name):
            raise HubError(f"--trainer {name!r} is not a valid account name")
        if _user_exists(name):
            if LEARNERS in _groups_of(name):
                raise HubError(f"--trainer {name!r} is a learner account; trainers need their own account")
            _run("usermod", "--append", "--groups", TRAINERS, name)
        else:
            password = _create_account(layout, accounts, name, f"{name} (trainer)", TRAINERS)
            _record_passwords(layout, [(name, f"{name} (trainer)", "", password)])


def _trainers() -> list[str]:
    try:
        return sorted(grp.getgrnam(TRAINERS).gr_mem)
    except KeyError:
        return []


def acting_trainer(requested: str | None = None) -> str:
    """Whose name a `course hub` command acts in: --as NAME, else the trainer who ran sudo, else the
    only trainer. Never a guess among several trainers: the gradebook records who did what."""
    trainers = _trainers()
    if requested:
        if requested not in trainers:
            raise HubError(f"--as {requested!r} is not a trainer on this hub (trainers: {', '.join(trainers) or 'none'})")
        return requested
    if os.environ.get("SUDO_USER") in trainers:
        return os.environ["SUDO_USER"]
    if len(trainers) == 1:
        return trainers[0]
    if not trainers:
        raise HubError("no trainer account: run `course hub up --trainer NAME` first")
    raise HubError(f"several trainers ({', '.join(trainers)}): say which one acts with --as NAME, or run the "
                   "command in that trainer's JupyterLab terminal (`course grade release MODULE`)")


def as_trainer(layout: Layout, *command: str, trainer: str) -> str:
    """Run a command as a trainer, in the trainers' environment; return its output."""
    env = {"PATH": f"{layout.venv}/bin:/usr/bin:/bin", "HOME": pwd.getpwnam(trainer).pw_dir, "USER": trainer,
           "LANG": "C.UTF-8", **trainer_environment(layout)}
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    result = subprocess.run([runuser, "-u", trainer, "--", *command], env=env, cwd="/", umask=0o007,
                            capture_output=True, text=True)
    if result.returncode:
        raise HubError(f"`{' '.join(command)}` as {trainer} failed (exit {result.returncode}):\n"
                       f"{result.stdout}{result.stderr}")
    return result.stdout


def trainer_environment(layout: Layout) -> dict[str, str]:
    """What a trainer's server and commands need: their Jupyter config and the course folder."""
    env = {"JUPYTER_CONFIG_PATH": str(layout.jupyter / "trainer"), "COACHING_LAB_COURSE_ROOT": str(layout.course)}
    settings = _settings(layout)
    if settings.get("db_url"):
        env["NBGRADER_DB_URL"] = settings["db_url"]
    return env


def _import_students(layout: Layout, learners: list[Learner], trainer: str | None) -> None:
    """Add the learners to the nbgrader gradebook (as a trainer: the trainer group shares it)."""
    if not _trainers():
        return
    rows = ["id,first_name,last_name,email"]
    for learner in learners:
        first, _, last = learner.name.partition(" ")
        rows.append(f"{learner.learner_id},{first},{last},{learner.email}")
    roster = layout.course / "grading" / "students.csv"
    roster.write_text("\n".join(rows) + "\n")
    _share_course_folder(layout)
    as_trainer(layout, str(layout.python), "-m", "nbgrader", "db", "student", "import", str(roster),
               f"--CourseDirectory.root={layout.course}", trainer=acting_trainer(trainer))
    _share_course_folder(layout)  # sqlite makes a new gradebook 0644 & ~umask: group read-only


# ---------------------------------------------------------------------------------------------
# Folders, environment and configuration

def _share_course_folder(layout: Layout) -> None:
    """Trainer group may read and write the course folder; nobody else may enter it. Owners stay as
    they are (no trainer is "the" owner): the group and its setgid folders do the sharing."""
    gid = grp.getgrnam(TRAINERS).gr_gid
    for folder, dirs, files in os.walk(layout.course):
        os.chown(folder, -1, gid)
        os.chmod(folder, 0o2770)
        for name in files:
            path = os.path.join(folder, name)
            os.chown(path, -1, gid, follow_symlinks=False)
            if not os.path.islink(path):
                os.chmod(path, (os.stat(path).st_mode | 0o660) & 0o770)


def _share_exchange(layout: Layout) -> None:
    """The course's exchange folder belongs to the trainer group (setgid, group-writable), so every
    trainer can release, collect and release feedback (nbgrader's `groupshared` mode, set in the
    trainers' nbgrader config); learners may enter it, and nbgrader sets the modes inside."""
    gid = grp.getgrnam(TRAINERS).gr_gid
    course = layout.exchange / COURSE_ID
    course.mkdir(exist_ok=True)
    # inbound: learners drop submissions in (write, no listing); trainers read it
    modes = {course: 0o2775, course / "outbound": 0o2775, course / "inbound": 0o2773, course / "feedback": 0o2771}
    for folder, mode in modes.items():
        if folder.is_dir() and not folder.is_symlink():
            os.chown(folder, -1, gid)
            folder.chmod(mode)


def _make_folders(layout: Layout) -> None:
    layout.prefix.mkdir(parents=True, exist_ok=True)
    layout.prefix.chmod(0o755)
    for folder, mode in ((layout.hub, 0o700), (layout.state, 0o700), (layout.archive, 0o700), (layout.records, 0o700),
                         (layout.exchange, 0o1777), (layout.jupyter, 0o755)):
        folder.mkdir(exist_ok=True)
        folder.chmod(mode)


def _copy_course(layout: Layout) -> bool:
    """Copy this repository into course/ the first time; never touch an existing course folder."""
    if layout.course.exists():
        return False
    if not (REPO / "modules").is_dir():
        raise HubError(f"{REPO} is not a clone of the course repository: run `course hub up` from a clone")
    shutil.copytree(REPO, layout.course, ignore=COPY_IGNORE, symlinks=True)
    return True


def _check_interpreter(python: str) -> None:
    """The environment's Python must be 3.11+ and reachable by every account (not under /root)."""
    path = Path(shutil.which(python) or python).resolve()
    if not path.exists():
        raise HubError(f"--python {python}: no such interpreter; install python3 and python3-venv")
    version = subprocess.run([str(path), "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
                             capture_output=True, text=True).stdout.strip()
    if version != "True":
        raise HubError(f"--python {python}: needs Python 3.11 or newer with the venv module (python3-venv)")
    closed = [p for p in path.parents if p != Path("/") and not p.stat().st_mode & 0o001]
    if closed:
        raise HubError(f"--python {python}: learners cannot reach it ({closed[-1]} is closed to other "
                       "accounts); use a system-wide Python such as /usr/bin/python3")


def _install_environment(layout: Layout, python: str) -> None:
    """The course environment every learner's kernel runs in: a regular (not editable) install."""
    if not layout.python.exists():
        _check_interpreter(python)
        _run(python, "-m", "venv", str(layout.venv))
    if not (layout.venv / "bin" / "jupyterhub").exists():
        print("installing the course environment (a few minutes the first time) …", flush=True)
        _run(str(layout.python), "-m", "pip", "install", "--quiet", f"{layout.course}[hub]")
    if not layout.proxy.exists():
        if not shutil.which("npm"):
            raise HubError("npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)")
        print("installing configurable-http-proxy from npm …", flush=True)
        _run("npm", "install", "--prefix", str(layout.node), "--no-audit", "--no-fund", "--loglevel=error",
             PROXY_PACKAGE)


def terminal_rc(venv: Path) -> str:
    """The start-up file of a JupyterLab terminal: the login set-up, then `venv` first on PATH."""
    return Template((DEPLOY / "terminal.bashrc").read_text()).substitute(venv=str(venv))


def _write_config(layout: Layout, settings: dict) -> None:
    """JupyterHub's config and settings, and each role's Jupyter config (from deploy/)."""
    shutil.copy(DEPLOY / "jupyterhub_config.py", layout.hub / "jupyterhub_config.py")
    (layout.hub / "settings.json").write_text(json.dumps(settings, indent=2) + "\n")
    values = {"course_id": "coaching-lab", "exchange": str(layout.exchange), "course": str(layout.course),
              "jupyter": str(layout.jupyter), "venv": str(layout.venv)}
    layout.jupyter.joinpath("terminal.bashrc").write_text(terminal_rc(layout.venv))
    for role in ("learner", "trainer"):
        for template in sorted((DEPLOY / "jupyter" / role).rglob("*")):
            if template.is_file():
                target = layout.jupyter / role / template.relative_to(DEPLOY / "jupyter" / role)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(Template(template.read_text()).substitute(values))
    for path in [layout.jupyter, *layout.jupyter.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _settings(layout: Layout) -> dict:
    path = layout.hub / "settings.json"
    return json.loads(path.read_text()) if path.exists() else {}


# ---------------------------------------------------------------------------------------------
# The hub process

def hub_url(layout: Layout) -> str:
    settings = _settings(layout)
    host = "127.0.0.1" if settings["ip"] in ("", "0.0.0.0") else settings["ip"]
    return f"http://{host}:{settings['port']}"


def running_pid(layout: Layout) -> int | None:
    try:
        pid = int(layout.pid_file.read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def start(layout: Layout, timeout: float = 300) -> None:
    """Start JupyterHub in the background and wait until it answers through its proxy (the hub adds
    its route after starting its services: more than 90 s at load 7.5 on 2 cores)."""
    if running_pid(layout):
        return
    with layout.log.open("ab") as log:
        process = subprocess.Popen(
            [str(layout.venv / "bin" / "jupyterhub"), "-f", str(layout.hub / "jupyterhub_config.py")],
            cwd=layout.hub, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env={"PATH": f"{layout.venv}/bin:/usr/local/bin:/usr/bin:/bin",
                                         "LANG": "C.UTF-8"},
        )
    layout.pid_file.write_text(f"{process.pid}\n")
    api = f"{hub_url(layout)}/hub/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(api, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    tail = "".join(layout.log.read_text(errors="replace").splitlines(keepends=True)[-25:])
    stop(layout)
    raise HubError(f"JupyterHub did not start; the end of {layout.log}:\n{tail}")


def stop(layout: Layout, timeout: float = 30) -> bool:
    """Stop JupyterHub (it stops the proxy and every learner's server); True if it was running."""
    pid = running_pid(layout)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and running_pid(layout):
        time.sleep(0.3)
    if running_pid(layout):
        os.killpg(pid, signal.SIGKILL)
    layout.pid_file.unlink(missing_ok=True)
    return True


# ---------------------------------------------------------------------------------------------
# The commands

def _require_root() -> None:
    if sys.platform != "linux" or os.geteuid() != 0:
        raise HubError("run this as root on the Linux server (for example with sudo): it creates accounts")


def up(layout: Layout, roster: Path, trainers: list[str], ip: str, port: int, db_url: str | None = None,
       idle_timeout: int = 3600, python: str = "/usr/bin/python3") -> None:
    """Everything from a blank machine to a running hub; safe to run again."""
    _require_root()
    read_roster(roster)  # refuse a bad roster before changing anything
    _warn_if_public(ip)
    _make_folders(layout)
    if _copy_course(layout):
        print(f"course folder: {layout.course}")
    _install_environment(layout, python)
    accounts = _load_accounts(layout)
    _ensure_group(layout, accounts, TRAINERS)
    add_trainers(layout, trainers)
    settings = {"ip": ip, "port": port, "hub_port": port + 1, "proxy_api_port": port + 2, "records_port": port + 3,
                "db_url": db_url, "idle_timeout": idle_timeout}
    _write_config(layout, settings)
    created = add_learners(layout, roster, trainers[0])  # also hands the course folder to the trainer group
    _share_exchange(layout)
    print(f"learner accounts: {len(created)} created")
    start(layout)
    print(f"JupyterHub is running: {hub_url(layout)} (log: {layout.log})")
    if layout.passwords.exists():
        print(f"first-login passwords (root only, never printed): {layout.passwords}")


def _warn_if_public(ip: str) -> None:
    if ip not in LOOPBACK:
        print(f"WARNING: --ip {ip or '(every interface)'}: JupyterHub speaks plain HTTP, so passwords and work "
              "cross the network unencrypted. Put it behind an HTTPS reverse proxy (nginx, Caddy) and keep "
              "--ip 127.0.0.1, or only use this on a network you trust.", file=sys.stderr)


def down(layout: Layout, remove_accounts: bool = False, purge: bool = False,
         archive_dir: Path = DEFAULT_ARCHIVE) -> None:
    """Stop the hub; with remove_accounts, archive each created home, then delete the accounts;
    with purge, also archive the course folder (gradebook, submissions, feedback) and the account
    archives to archive_dir, then remove the whole prefix."""
    _require_root()
    if purge and Path(archive_dir).resolve().is_relative_to(layout.prefix):
        raise HubError(f"--archive-dir {archive_dir} is inside the prefix that --purge removes; choose another folder")
    print("JupyterHub stopped" if stop(layout) else "JupyterHub was not running")
    if remove_accounts or purge:
        _remove_accounts(layout)
    if purge:
        _purge(layout, Path(archive_dir))


def _purge(layout: Layout, archive_dir: Path) -> None:
    """Keep what people made (course folder, homes' archives, first-login list), then delete the prefix."""
    target = archive_dir / f"{layout.prefix.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    target.mkdir(parents=True, mode=0o700)
    archive_dir.chmod(0o700)
    if layout.course.is_dir():
        with tarfile.open(target / "course.tar.gz", "w:gz") as tar:
            tar.add(layout.course, arcname="course")
    for kept in (*layout.archive.glob("*.tar.gz"), layout.passwords, layout.accounts):
        if kept.exists():
            shutil.copy2(kept, target / kept.name)
    for path in target.iterdir():
        path.chmod(0o600)
    shutil.rmtree(layout.prefix)
    print(f"removed {layout.prefix}; the course folder and home folders are archived in {target}")


def _kill_processes(user: str, seconds: float = 10) -> None:
    """Kill every process of `user` and wait until they are gone: a killed process lives on for a
    moment, and userdel refuses an account that still has one."""
    deadline = time.monotonic() + seconds
    while subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True).returncode == 0:  # 1: none left
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)


def _remove_accounts(layout: Layout) -> None:
    accounts = _load_accounts(layout)
    for name in list(accounts["created_users"]):
        if _user_exists(name):
            home = Path(pwd.getpwnam(name).pw_dir)
            if home.is_dir():
                archive = layout.archive / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.tar.gz"
                with tarfile.open(archive, "w:gz") as tar:
                    tar.add(home, arcname=name)
                archive.chmod(0o600)
            _kill_processes(name)
            _run("userdel", "--remove", name)
        accounts["created_users"].remove(name)
        _save_accounts(layout, accounts)
    for group in list(accounts["created_groups"]):
        subprocess.run(["groupdel", group], capture_output=True)
        accounts["created_groups"].remove(group)
        _save_accounts(layout, accounts)
    print(f"accounts removed; their home folders are archived in {layout.archive}")


def release(layout: Layout, modules: list[str], trainer: str | None = None) -> None:
    """Generate each module's student version and release it to the cohort through the exchange,
    as the trainer who asks (see `acting_trainer`)."""
    trainer = acting_trainer(trainer)
    for module in modules:
        as_trainer(layout, str(layout.python), "-m", "course", "grade", "release", module, trainer=trainer)
        print(f"released {module} to the cohort (as {trainer})")


def add_commands(subparsers) -> None:
    """Register `course hub …`."""
    hub = subparsers.add_parser("hub", help="run a cohort on this machine with JupyterHub (as root)")
    commands = hub.add_subparsers(dest="hub_command", required=True)

    def prefixed(name: str, help: str):
        cmd = commands.add_parser(name, help=help)
        cmd.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX,
                         help=f"where the deployment lives (default: {DEFAULT_PREFIX})")
        return cmd

    cmd = prefixed("up", "install, create accounts from a roster, start JupyterHub")
    cmd.add_argument("--roster", type=Path, required=True, help="CSV with learner_id,name,email")
    cmd.add_argument("--trainer", action="append", required=True, help="trainer account (repeatable)")
    cmd.add_argument("--ip", default="127.0.0.1",
                     help="address to listen on (default: 127.0.0.1, for an HTTPS reverse proxy on this machine; "
                          "0.0.0.0 for every interface, with a warning: plain HTTP)")
    cmd.add_argument("--port", type=int, default=8000, help="public port; the next two are used internally")
    cmd.add_argument("--db-url", default=None, help="gradebook URL, e.g. postgresql://… (default: sqlite)")
    cmd.add_argument("--idle-timeout", type=int, default=3600,
                     help="stop a learner's server after this many idle seconds")
    cmd.add_argument("--python", default="/usr/bin/python3",
                     help="Python 3.11+ for the course environment; every account must be able to run it")
    cmd.set_defaults(run=run, hub_run=lambda a: up(Layout(a.prefix), a.roster, a.trainer, a.ip, a.port, a.db_url,
                                                   a.idle_timeout, a.python))

    acting = ("trainer who acts (default: the trainer who ran sudo, or the only trainer); "
              "trainers can also run `course grade …` in their own JupyterLab terminal")
    cmd = prefixed("add-learners", "create accounts for new roster rows (the hub keeps running)")
    cmd.add_argument("roster", type=Path)
    cmd.add_argument("--as", dest="trainer", help=acting)
    cmd.set_defaults(run=run, hub_run=lambda a: print(
        f"created: {', '.join(add_learners(Layout(a.prefix), a.roster, a.trainer)) or 'none'}"))

    cmd = prefixed("release", "release modules to the cohort, as a trainer")
    cmd.add_argument("modules", nargs="+")
    cmd.add_argument("--as", dest="trainer", help=acting)
    cmd.set_defaults(run=run, hub_run=lambda a: release(Layout(a.prefix), a.modules, a.trainer))

    cmd = prefixed("down", "stop JupyterHub and every learner's server")
    cmd.add_argument("--remove-accounts", action="store_true",
                     help="also delete the accounts `up` created (their homes are archived first)")
    cmd.add_argument("--purge", action="store_true",
                     help="also remove the accounts and the whole prefix, after archiving the course folder "
                          "(gradebook, submissions, feedback) and the homes to --archive-dir")
    cmd.add_argument("--archive-dir", type=Path, default=DEFAULT_ARCHIVE,
                     help=f"where --purge keeps its archive (default: {DEFAULT_ARCHIVE}, root only)")
    cmd.set_defaults(run=run, hub_run=lambda a: down(Layout(a.prefix), a.remove_accounts, a.purge, a.archive_dir))


def run(args) -> int:
    """Run a `course hub` command; a HubError becomes a one-paragraph message and exit 1."""
    try:
        args.hub_run(args)
        return 0
    except HubError as error:
        print(f"course hub {args.hub_command}: {error}", file=sys.stderr)
        return 1
