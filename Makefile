# The two set-up commands (README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv

.PHONY: demo test test-slow lint bench

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e .
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/veche demo

test:
	bash scripts/test.sh

test-slow:
	bash scripts/test.sh -m slow

lint:
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
