# Two commands: `make lab` opens the course, `make test` proves it works.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test install build clean

lab: $(STAMP)  ## release every module into workspace/ and start JupyterLab on 127.0.0.1
	$(BIN)/python -m course lab

# Debian packages the end-to-end tests use: a real browser, the grading sandbox, a gradebook server,
# and for the cohort hub: Node.js (configurable-http-proxy comes from npm) and a system Python venv.
TEST_DEBIAN_PACKAGES := chromium bubblewrap postgresql nodejs python3-venv
# Both cores: tests that share a costly set-up (a module's nbgrader run) carry one xdist_group.
PYTEST_ARGS ?= -n 2 --dist loadgroup

test: $(STAMP)  ## install what the tests need and run them
	bash tests/ensure_debian_packages.sh $(TEST_DEBIAN_PACKAGES)
	$(BIN)/python tests/run_without_leftovers.py $(BIN)/python -m pytest $(PYTEST_ARGS)

build: $(STAMP)  ## generate the student release of every module (trainers)
	$(BIN)/python -m course build

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Coaching Lab needs Python 3.11 or newer: set PYTHON=python3.11 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:  ## remove generated folders (keeps workspace/, where your answers are)
	rm -rf release submitted autograded feedback test-output
