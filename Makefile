# Tasks for working on callcoach. Everything runs in the virtual environment .venv (see README "Set-up").
#   make venv        create .venv and install callcoach with the test and lint extras
#   make lint        ruff check + ruff format --check
#   make format      apply ruff's formatting and safe fixes
#   make types       mypy callcoach
#   make test-fast   the tests not marked slow (a few minutes; see README)
#   make test        every test (about twice as long)
#   make check       lint, types and every test: what .ci/run checks
PYTHON ?= .venv/bin/python

.PHONY: venv lint format types test-fast test check

venv:
	python3 -m venv .venv
	$(PYTHON) -m pip install -e '.[test,lint]'

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format:
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

types:
	$(PYTHON) -m mypy callcoach

test-fast:
	$(PYTHON) -m pytest -q -m "not slow"

test:
	$(PYTHON) -m pytest -q

check: lint types test
