"""JupyterHub for a Coaching Lab cohort on one machine.

`course hub up` copies this file into <prefix>/hub/ with a settings.json beside it (ports, gradebook,
idle timeout); every path comes from the prefix (`course.hub.Layout`). Change the settings by running
`course hub up` again with other options, not by editing the copy.

- PAM login with each learner's and trainer's own Unix account (only the two course groups).
- Each server runs as its user (LocalProcessSpawner), in JupyterLab, on the course environment.
- Learners get nbgrader's assignment list; trainers also get formgrader and the course folder,
  through a Jupyter config folder per role (<prefix>/jupyter/learner or trainer).
- Terminals start bash with <prefix>/jupyter/terminal.bashrc: the login set-up, then the course
  environment first on PATH (Debian's /etc/profile resets PATH in a login shell).
- Idle servers are stopped after settings["idle_timeout"] seconds.
"""
import grp
import json
import os
import pwd
from pathlib import Path

from course.hub import COURSE_ID, LEARNERS, TRAINERS, Layout, trainer_environment
from course.hub_records import SERVICE_NAME
from course.records import URL_VARIABLE

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
layout = Layout(HERE.parent)  # `course hub up` keeps this file in <prefix>/hub/
settings = json.loads((HERE / "settings.json").read_text())
venv = layout.venv

c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [str(layout.proxy)]
c.JupyterHub.db_url = f"sqlite:///{HERE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {LEARNERS, TRAINERS}
c.PAMAuthenticator.open_sessions = False  # no login session per server: containers often lack one

c.JupyterHub.spawner_class = "localprocess"
singleuser = str(venv / "bin" / "jupyterhub-singleuser")
c.Spawner.cmd = [singleuser]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
records_port = settings.get("records_port", settings["port"] + 3)
records_url = f"http://127.0.0.1:{records_port}/services/{SERVICE_NAME}/"
c.Spawner.environment = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", URL_VARIABLE: records_url}
# a learner's kernel may post its own widget answers to the record service, nothing more
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 f"access:services!service={SERVICE_NAME}"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def is_trainer(username: str) -> bool:
    user = pwd.getpwnam(username)
    gids = os.getgrouplist(username, user.pw_gid)
    return grp.getgrnam(TRAINERS).gr_gid in gids


def per_role_environment(spawner) -> None:
    """A trainer's server sees formgrader and the course folder; a learner's does not."""
    if not is_trainer(spawner.user.name):
        spawner.environment["JUPYTER_CONFIG_PATH"] = str(layout.jupyter / "learner")
        return
    spawner.environment.update(trainer_environment(layout))
    # formgrader serves only a course folder inside the server's root: trainers start there
    spawner.notebook_dir = str(layout.course)
    # what one trainer writes (grades, feedback, submissions) the other trainers may change; the
    # server (so each new terminal) starts in the course folder, where `course grade …` works
    spawner.cmd = ["/bin/sh", "-c", 'cd "$COACHING_LAB_COURSE_ROOT" && umask 0007 && exec "$0" "$@"', singleuser]


c.Spawner.pre_spawn_hook = per_role_environment

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [str(venv / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={settings['idle_timeout']}", "--cull-every=300"],
}, {
    # widget answers and self-checks, recorded as they happen; the trainers' "who is stuck" page
    "name": SERVICE_NAME,
    "display": True,
    "oauth_no_confirm": True,
    "url": f"http://127.0.0.1:{records_port}",
    "command": [str(venv / "bin" / "python"), "-m", "course.hub_records",
                f"--store={layout.records / 'records.sqlite'}", f"--course={layout.course}",
                f"--exchange-course={layout.exchange / COURSE_ID}", f"--learners-group={LEARNERS}",
                f"--trainers-group={TRAINERS}", *([f"--db-url={settings['db_url']}"] if settings.get("db_url") else [])],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}, {
    # every account may reach the record service; the service itself lets only trainers see the dashboard
    "name": "user",
    "scopes": ["self", f"access:services!service={SERVICE_NAME}"],
}]
