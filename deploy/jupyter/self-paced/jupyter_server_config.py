"""JupyterLab for a self-paced learner (`course lab` puts this folder on JUPYTER_CONFIG_PATH).

No instructor tools and no exchange (there is no course server to fetch from or submit to): the
nbgrader menu, Assignments tab, Formgrader and Create Assignment are off (labconfig/page_config.json
for JupyterLab, jpserver_extensions here for the server). The course's own extension opens a start
page first, answers the Validate button, and the Help menu leads back to the start page.
"""
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when Jupyter loads this file)
HERE = Path(__file__).resolve().parent

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.validate_assignment": False,  # course.selfpaced answers Validate
    "course.selfpaced": True,
    "course.validate": True,
}
c.LabApp.default_url = "/coaching-lab"
c.LabApp.app_settings_dir = str(HERE / "lab-settings")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
