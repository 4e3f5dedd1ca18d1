"""`course` (or `python -m course`): build releases, open the course, validate a notebook."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from course.build import BuildError, build, sync_workspace
from course.grade.cli import add_commands as add_grade_commands
from course.hub import add_commands as add_hub_commands, terminal_rc
from course.nbgrader_tools import NbgraderError, nbgrader_env
from course.paths import EXPLORE, REPO, WORKSPACE

SELF_PACED_CONFIG = REPO / "deploy" / "jupyter" / "self-paced"
WORKSPACE_VARIABLE = "COACHING_LAB_WORKSPACE"


def _build(args: argparse.Namespace) -> int:
    build(args.modules or None, use_db=not args.no_db)
    return 0


def _lab(args: argparse.Namespace) -> int:
    released = build(use_db=False)
    workspace = args.workspace.resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    sync_workspace([*released, EXPLORE], workspace=workspace)
    print(f"\nStarting JupyterLab on your workspace ({workspace}).")
    print("Open the http://127.0.0.1:… link printed below (it opens the course's start page); "
          "stop with Ctrl+C.\n", flush=True)
    sys.stdout.flush()
    # JupyterLab takes over this process: whatever stops `course lab` (Ctrl+C, SIGTERM from a
    # supervisor or a test) stops JupyterLab itself, which shuts down its kernels.
    os.chdir(workspace)  # where a terminal opened without a folder starts
    os.execve(sys.executable, lab_command(workspace, args.jupyter_args), lab_env(workspace=workspace))


def lab_command(workspace: Path, jupyter_args: list[str] = ()) -> list[str]:
    """`jupyter lab` on the learner's workspace, on 127.0.0.1, terminals with the course on PATH."""
    return [
        sys.executable, "-m", "jupyter", "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={workspace}",
        *_terminal_settings(),
        *(["--allow-root"] if os.geteuid() == 0 else []),
        *jupyter_args,
    ]


def lab_env(env: dict[str, str] | None = None, workspace: Path = WORKSPACE) -> dict[str, str]:
    """nbgrader's environment plus the self-paced JupyterLab settings (deploy/jupyter/self-paced/:
    no instructor tools or exchange, the start page first, Validate that names questions), and
    the workspace, where `course validate` in a terminal also looks for a notebook."""
    env = nbgrader_env() if env is None else dict(env)
    env[WORKSPACE_VARIABLE] = str(workspace)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(SELF_PACED_CONFIG), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    return env


def _terminal_settings() -> list[str]:
    """Terminals that start with the course environment first on PATH (a login shell's profile resets
    PATH, and module 00 asks for `python -m course validate` in a terminal)."""
    bash = shutil.which("bash")
    if bash is None:
        return []
    rc = Path(sys.prefix) / "etc" / "coaching-lab" / "terminal.bashrc"
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text(terminal_rc(Path(sys.prefix)))
    return [f"--ServerApp.terminado_settings={json.dumps({'shell_command': [bash, '--rcfile', str(rc), '-i']})}"]


def _validate(args: argparse.Namespace) -> int:
    from course.validate import validate_and_print

    workspace = Path(os.environ.get(WORKSPACE_VARIABLE, WORKSPACE))
    notebooks = []
    for name in args.notebooks:  # as module 00 writes them, from any folder of the lab's terminal
        found = next((p for p in (Path(name), workspace / name) if p.is_file()), None)
        if found is None:
            print(f"course validate: no notebook {name} in {Path.cwd()} or in your workspace {workspace}",
                  file=sys.stderr)
            return 1
        notebooks.append(str(found.resolve()))
    return validate_and_print(notebooks)


def _import_crm(args: argparse.Namespace) -> int:
    from course.crm import main_import

    return main_import(args.crm_args)


def _explore(args: argparse.Namespace) -> int:
    from course.explore import main_explore

    return main_explore(args.crm_args)


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="course", description=__doc__)
    commands = cli.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="generate the student release of modules")
    build_cmd.add_argument("modules", nargs="*", help="module folders (default: all)")
    build_cmd.add_argument("--no-db", action="store_true", help="do not record assignments in the gradebook")
    build_cmd.set_defaults(run=_build)

    lab_cmd = commands.add_parser("lab", help="release every module into your workspace and start JupyterLab; "
                                  "other options go to `jupyter lab`")
    lab_cmd.add_argument("--workspace", type=Path, default=WORKSPACE,
                         help="where your copies of the modules live (default: workspace/)")
    lab_cmd.set_defaults(run=_lab)

    validate_cmd = commands.add_parser("validate", help="run a notebook the way the grader will; list failing cells and the graded questions "
                                       "not answered or not passing their self-checks")
    validate_cmd.add_argument("notebooks", nargs="+")
    validate_cmd.set_defaults(run=_validate)
    add_grade_commands(commands)
    add_hub_commands(commands)

    crm_cmd = commands.add_parser(
        "import-crm", add_help=False,
        help="check and load your own CRM export with a mapping file (`course import-crm --help`)")
    crm_cmd.set_defaults(run=_import_crm)
    explore_cmd = commands.add_parser(
        "explore", add_help=False,
        help="run the 'explore your own team' notebook on your CRM export (`course explore --help`)")
    explore_cmd.set_defaults(run=_explore)
    return cli


def main(argv: list[str] | None = None) -> int:
    args, extra = parser().parse_known_args(argv)
    if extra and args.command not in ("lab", "import-crm", "explore"):
        parser().error(f"unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = args.crm_args = extra  # passed on to `jupyter lab` / the CRM importer / explore
    try:
        return args.run(args)
    except (BuildError, NbgraderError) as error:
        print(f"course {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
