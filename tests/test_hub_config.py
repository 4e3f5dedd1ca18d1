"""The cohort deployment's pieces that need no root: roster checks and the rendered configuration."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from traitlets.config import Config

from course.hub import DEPLOY, HubError, Layout, _write_config, read_roster

FIXTURES = Path(__file__).parent / "fixtures"


def _roster(tmp_path, text: str):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


def test_a_good_roster_reads_every_learner(tmp_path):
    path = _roster(tmp_path, "learner_id,name,email\nana,Ana Lima,ana@example.com\nben_2,Ben Ode,ben@example.org\n")
    assert [l.learner_id for l in read_roster(path)] == ["ana", "ben_2"]


def test_a_bad_roster_names_every_bad_row_and_changes_nothing(tmp_path):
    path = _roster(tmp_path, "learner_id,name,email\nAna Lima,Ana,ana@example.com\nben,,ben@example\nben,Ben,b@x.io\n")
    with pytest.raises(HubError) as error:
        read_roster(path)
    message = str(error.value)
    assert str(path) in message
    assert "row 2: learner_id 'Ana Lima' is not a valid account name" in message
    assert "row 3: name '' is empty" in message and "row 3: email 'ben@example'" in message
    assert "row 4: learner_id 'ben' appears twice" in message


def test_a_roster_without_the_columns_says_which_are_missing(tmp_path):
    with pytest.raises(HubError, match="missing column\\(s\\) email"):
        read_roster(_roster(tmp_path, "learner_id,name\nana,Ana\n"))


def test_configuration_gives_formgrader_to_trainers_only(tmp_path):
    layout = Layout(tmp_path)
    for folder in (layout.hub, layout.jupyter):
        folder.mkdir()
    settings = {"ip": "127.0.0.1", "port": 8000, "hub_port": 8001, "proxy_api_port": 8002, "db_url": None,
                "idle_timeout": 600}
    _write_config(layout, settings)

    config = Config()
    exec((layout.hub / "jupyterhub_config.py").read_text(),
         {"get_config": lambda: config, "__file__": str(layout.hub / "jupyterhub_config.py")})
    assert config.JupyterHub.port == 8000 and config.Spawner.default_url == "/lab"
    assert config.PAMAuthenticator.allowed_groups == {"coaching-learners", "coaching-trainers"}
    assert config.Spawner.cmd == [str(layout.venv / "bin" / "jupyterhub-singleuser")]
    assert "--timeout=600" in config.JupyterHub.services[0]["command"]

    learner = layout.jupyter / "learner"
    server = json.loads((learner / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    lab = json.loads((learner / "labconfig" / "page_config.json").read_text())
    assert lab["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert f'c.Exchange.root = "{layout.exchange}"' in (learner / "nbgrader_config.py").read_text()
    trainer = (layout.jupyter / "trainer" / "nbgrader_config.py").read_text()
    assert f'c.CourseDirectory.root = "{layout.course}"' in trainer
    assert "c.CourseDirectory.groupshared = True" in trainer  # several trainers share one cohort
    # the hub's two roles, and the self-paced settings that only `make lab` uses
    assert {p.name for p in (DEPLOY / "jupyter").iterdir()} == {"learner", "trainer", "self-paced"}
    for role in ("learner", "trainer"):
        server = json.loads((layout.jupyter / role / "jupyter_server_config.json").read_text())
        assert "formgrader" not in json.dumps(server.get("ServerApp", {}).get("jpserver_extensions", {})) \
            or role == "learner"
        assert server["ServerApp"]["terminado_settings"]["shell_command"] == [
            "/bin/bash", "--rcfile", str(layout.jupyter / "terminal.bashrc"), "-i"]
        assert server["LabApp"]["news_url"] is None  # no "Jupyter news?" pop-up
        lab = json.loads((layout.jupyter / role / "labconfig" / "page_config.json").read_text())
        assert lab["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True

    # Formgrader opens in its own tab: the hub forbids frames (nbgrader issue 1870)
    menus = json.loads((layout.jupyter / "trainer" / "lab-settings" / "overrides.json").read_text())
    items = menus["@jupyterlab/mainmenu-extension:plugin"]["menus"][0]["items"]
    assert {"url": "/hub/user-redirect/formgrader", "text": "Formgrader (opens in a new tab)",
            "newBrowserTab": True} in [i.get("args") for i in items]

    # the widget-records service runs beside the hub; every server knows where it is
    records = next(s for s in config.JupyterHub.services if s["name"] == "widget-records")
    assert records["url"] == "http://127.0.0.1:8003" and f"--course={layout.course}" in records["command"]
    assert config.Spawner.environment["COACHING_LAB_RECORDS_URL"] == "http://127.0.0.1:8003/services/widget-records/"


def test_terminals_put_the_course_environment_first_whatever_the_profile_does(tmp_path):
    """A terminal's bash reads the rendered rc file: Debian's /etc/profile resets PATH, the rc file
    puts the course environment back in front."""
    layout = Layout(tmp_path)
    for folder in (layout.hub, layout.jupyter):
        folder.mkdir()
    _write_config(layout, {"ip": "127.0.0.1", "port": 8000})
    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_text('PATH="/from/profile:$PATH"\nexport PATH\n')
    shell = subprocess.run(["/bin/bash", "--rcfile", str(layout.jupyter / "terminal.bashrc"), "-i"],
                           input='echo "PATH=$PATH"\numask\nexit\n', capture_output=True, text=True,
                           env={"HOME": str(home), "PATH": "/nowhere", "TERM": "dumb",
                                "COACHING_LAB_COURSE_ROOT": str(tmp_path)})
    path = next(line for line in shell.stdout.splitlines() if line.startswith("PATH="))[5:].split(":")
    assert path[0] == str(layout.venv / "bin") and "/from/profile" in path and "/nowhere" not in path
    assert "0007" in shell.stdout  # a trainer's files stay group-writable


def test_the_hub_listens_on_loopback_unless_told_and_warns_for_plain_http(capsys):
    import argparse

    from course.hub import _warn_if_public, add_commands

    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["hub", "up", "--roster", "r.csv", "--trainer", "t"])
    assert args.ip == "127.0.0.1"
    _warn_if_public("127.0.0.1")
    assert capsys.readouterr().err == ""
    _warn_if_public("0.0.0.0")
    assert "plain HTTP" in capsys.readouterr().err


def test_purge_refuses_an_archive_inside_the_prefix(tmp_path, monkeypatch):
    from course import hub

    monkeypatch.setattr(hub, "_require_root", lambda: None)
    with pytest.raises(HubError, match="inside the prefix"):
        hub.down(Layout(tmp_path), purge=True, archive_dir=tmp_path / "keep")


def test_kubernetes_values_use_only_options_the_chart_knows():
    """deploy/kubernetes/values.yaml, over the chart's defaults, against Zero to JupyterHub 4.4.0's
    values schema (both fixtures, taken from the chart's source at tag 4.4.0, BSD-3-Clause)."""
    import jsonschema
    import yaml

    schema = json.loads((FIXTURES / "z2jh-4.4.0-values.schema.json").read_text())
    ours = yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())
    values = _merged(yaml.safe_load((FIXTURES / "z2jh-4.4.0-values.yaml").read_text()), ours)  # as helm does
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(values), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors)
    assert values["cull"]["enabled"] and values["singleuser"]["memory"]["limit"]
    # The schema does catch a misspelt option:
    values["singleuser"]["memroy"] = values["singleuser"].pop("memory")
    assert list(jsonschema.Draft7Validator(schema).iter_errors(values))


def _merged(defaults: dict, overrides: dict) -> dict:
    merged = dict(defaults)
    for key, value in overrides.items():
        both_maps = isinstance(value, dict) and isinstance(defaults.get(key), dict)
        merged[key] = _merged(defaults[key], value) if both_maps else value
    return merged


def test_hub_commands_act_as_the_trainer_who_asks_never_a_guess(monkeypatch):
    from course import hub

    monkeypatch.setattr(hub, "_trainers", lambda: ["maria", "tom"])
    monkeypatch.delenv("SUDO_USER", raising=False)
    assert hub.acting_trainer("tom") == "tom"
    with pytest.raises(HubError, match="--as NAME"):
        hub.acting_trainer()                      # two trainers, nobody named: ask
    with pytest.raises(HubError, match="not a trainer"):
        hub.acting_trainer("ana")
    monkeypatch.setenv("SUDO_USER", "tom")
    assert hub.acting_trainer() == "tom"         # the trainer who ran sudo
    monkeypatch.setenv("SUDO_USER", "someone")
    monkeypatch.setattr(hub, "_trainers", lambda: ["maria"])
    assert hub.acting_trainer() == "maria"       # the only trainer
