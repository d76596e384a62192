# Passage: two commands do everything on a fresh machine.
#   make run    install into .venv, migrate, create missing keys and the first admin, serve + worker
#   make test   lint, then the whole suite on SQLite and on PostgreSQL (browser tests included)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PASSAGE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run setup install install-dev test lint format lock clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	@touch $@

install: $(VENV)/.base-installed

install-dev: $(VENV)/.dev-installed

setup: install
	$(BIN)/passage setup

run: setup
	$(BIN)/passage serve

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: lint
	bash scripts/test-suite

# Regenerate the hash-pinned lock files after editing requirements/*.in.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o base.txt base.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o dev.txt dev.in

clean-venv:
	rm -rf $(VENV)
