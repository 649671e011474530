# Two commands on a fresh machine with only Python 3.11+ and make:
#   make demo   set up .venv, install kizuna, build sample-vault/ and print its reach-out list
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TODAY  ?= 2026-11-23

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/kizuna --vault sample-vault --today $(TODAY) build
	$(BIN)/kizuna --vault sample-vault --today $(TODAY) due

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py --sizes 1000,10000

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
