# Two commands: `make run` sets up and forecasts the built-in scenario; `make test` sets up and tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean browser screenshots notebook

run: $(VENV)/.run-deps
	$(BIN)/accord forecast

test: $(VENV)/.test-deps browser
	$(BIN)/python -m pytest

# The report tests drive Debian's Chromium; install it where missing and possible (root + apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium is missing and cannot be installed here; browser tests will skip" >&2; fi; }

screenshots: $(VENV)/.test-deps browser
	$(BIN)/python scripts/screenshots.py docs

notebook: $(VENV)/.test-deps
	$(BIN)/python scripts/notebook.py

bench: $(VENV)/.test-deps
	$(BIN)/python -m pytest benchmarks --benchmark-only --benchmark-columns=min,mean,max,rounds

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Accord needs Python 3.11 or newer"' \
		|| (echo "error: $(PYTHON) is older than 3.11; run 'make PYTHON=python3.11 ...'" >&2; exit 2)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.run-deps

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .hypothesis .benchmarks
