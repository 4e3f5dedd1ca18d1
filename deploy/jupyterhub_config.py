"""JupyterHub for a Coaching Lab cohort on one machine.

`course hub up` copies this file into <prefix>/hub/ with a settings.json beside it; change the
settings by running `course hub up` again with other options, not by editing the copy.

- PAM login with each learner's and trainer's own Unix account (only the two course groups).
- Each server runs as its user (LocalProcessSpawner), in JupyterLab, on the course environment.
- Learners get nbgrader's assignment list; trainers also get formgrader and the course folder,
  through a Jupyter config folder per role (<prefix>/jupyter/learner or trainer).
- Idle servers are stopped after settings["idle_timeout"] seconds.
"""
import grp
import json
import os
import pwd
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
settings = json.loads((HERE / "settings.json").read_text())
venv = Path(settings["venv"])

c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{HERE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {settings["learners_group"], settings["trainers_group"]}
c.PAMAuthenticator.open_sessions = False  # no login session per server: containers often lack one

c.JupyterHub.spawner_class = "localprocess"
singleuser = str(venv / "bin" / "jupyterhub-singleuser")
c.Spawner.cmd = [singleuser]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def is_trainer(username: str) -> bool:
    user = pwd.getpwnam(username)
    gids = os.getgrouplist(username, user.pw_gid)
    return grp.getgrnam(settings["trainers_group"]).gr_gid in gids


def per_role_environment(spawner) -> None:
    """A trainer's server sees formgrader and the course folder; a learner's does not."""
    role = "trainer" if is_trainer(spawner.user.name) else "learner"
    spawner.environment["JUPYTER_CONFIG_PATH"] = settings["jupyter_config"][role]
    if role == "trainer":
        # formgrader serves only a course folder inside the server's root: trainers start there
        spawner.notebook_dir = settings["course"]
        # what one trainer writes (grades, feedback, submissions) the other trainers may change
        spawner.cmd = ["/bin/sh", "-c", 'umask 0007 && exec "$0" "$@"', singleuser]
        spawner.environment["COACHING_LAB_COURSE_ROOT"] = settings["course"]
        if settings.get("db_url"):
            spawner.environment["NBGRADER_DB_URL"] = settings["db_url"]


c.Spawner.pre_spawn_hook = per_role_environment

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [str(venv / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={settings['idle_timeout']}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
