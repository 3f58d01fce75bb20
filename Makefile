# One entry point for readers, contributors and CI.
#   make serve   set up, then build and serve the site on http://127.0.0.1:8000 with live reload
#   make test    set up (browser included), then run every test
#   make build   set up, then build the site into site/
#   make lock    regenerate requirements.txt (the hashed lock) from requirements.in
#   make outputs rewrite the #> output lines of every snippet from a real run
#   make bench   print the benchmark figures (page weight, math speed, build speed)
# Set-up is idempotent: it reinstalls only when the Python or npm lock changes.
# It refuses to install from a requirements.txt that disagrees with requirements.in.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# On GitHub, torch's CPU build comes from PyTorch's own index (PyPI's is a CUDA build).
TORCH_INDEX_URL ?=

.PHONY: setup setup-browser serve build test lock outputs bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements.in
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required: set PYTHON=/path/to/python3.11")'
	$(PYTHON) docs_build/lock.py --check
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==25.3
	$(if $(TORCH_INDEX_URL),$(PYTHON) docs_build/lock.py --only torch > $(VENV)/torch-lock.txt)
	$(if $(TORCH_INDEX_URL),$(BIN)/python -m pip install --quiet --require-hashes --no-deps --index-url $(TORCH_INDEX_URL) -r $(VENV)/torch-lock.txt)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup-browser:
	@bash docs_build/setup_browser.sh

serve: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --site-dir site

test: setup setup-browser
	$(BIN)/python -m pytest

lock:
	$(PYTHON) docs_build/lock.py

outputs: setup
	$(BIN)/python -m docs_build.outputs --update

bench: setup setup-browser
	$(BIN)/python -m benchmarks $(BENCH)

clean:
	rm -rf site .cache .pytest_cache test-results
