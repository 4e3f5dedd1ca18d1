"""Self-paced `course lab`: a start page that opens first, with the learner's progress in each module.

A Jupyter server extension (enabled by `course lab` through deploy/jupyter/self-paced/):

- `/coaching-lab` renders the start page (jinja2): what the course is, each module with its status
  for this learner (`course.progress`, read afresh at every request), and how self-checks and
  Validate work. `course lab` makes it the page JupyterLab opens first.

`course lab` also enables `course.validate`, the Validate button's server side.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from course import progress
from course.paths import module_names

START_PATH = "coaching-lab"
TEMPLATES = Path(__file__).parent / "templates"
_templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def start_page(root: Path, base_url: str = "/") -> str:
    """The start page's HTML for the workspace at `root`."""
    modules = progress.workspace_progress(root, module_names(root))
    explore = root / "explore" / "explore-your-own-team.ipynb"
    return _templates.get_template("start.html.j2").render(
        modules=modules, base_url=base_url, url=url_path_join, explore=explore.exists(),
        NOT_STARTED=progress.NOT_STARTED, IN_PROGRESS=progress.IN_PROGRESS, ALL_PASSING=progress.ALL_PASSING,
    )


class StartPageHandler(JupyterHandler):
    @web.authenticated
    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(start_page(Path(self.settings["server_root_dir"]).expanduser(), self.base_url))


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.selfpaced"}]


def _load_jupyter_server_extension(serverapp) -> None:
    webapp = serverapp.web_app
    base_url = webapp.settings["base_url"]
    webapp.add_handlers(".*$", [
        (url_path_join(base_url, START_PATH), StartPageHandler),
    ])
    serverapp.log.info("Coaching Lab self-paced mode: start page at /%s", START_PATH)
