# Two commands: `make lab` opens the course, `make test` proves it works.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test install build clean

lab: $(STAMP)  ## release every module into workspace/ and start JupyterLab on 127.0.0.1
	$(BIN)/python -m course lab

test: $(STAMP)  ## install what the tests need and run them
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
