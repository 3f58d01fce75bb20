# One entry point for readers, contributors and CI.
#   make serve   set up, then build and serve the site on http://127.0.0.1:8000 with live reload
#   make test    set up (browser included), then run every test
#   make build   set up, then build the site into site/
#   make lock    regenerate requirements.txt (the hashed lock) from requirements.in with uv; needs
#                PyPI and PyTorch's CPU index, or TORCH_WHEELS=DIR, a folder of torch's +cpu wheels
#   make outputs rewrite the #> output lines of every snippet from a real run
#   make bench   print the benchmark figures (page weight, math speed, build speed)
# Set-up is idempotent: it reinstalls only when the Python or npm lock changes.
# It refuses a machine or Python the lock does not cover (docs_build/lock.py names them),
# and a requirements.txt that disagrees with requirements.in.

# The first of python3.11, python3.12 and python3.13 that runs, else python3; PYTHON=... picks one.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(or $(shell for p in python3.11 python3.12 python3.13; do $$p -c '' 2>/dev/null && echo $$p && break; done),python3)
endif
VENV := .venv
BIN := $(VENV)/bin
# On Linux, torch's CPU build comes from a wheel folder pip is configured with, else from
# PyTorch's own index (PyPI's Linux torch is a CUDA build).
TORCH_INDEX_URL ?= https://download.pytorch.org/whl/cpu

.PHONY: setup setup-browser serve build test lock outputs bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements.in
	@command -v $(PYTHON) >/dev/null || { echo "The set-up stops: there is no $(PYTHON). Install Python 3.11, 3.12 or 3.13 and name it, e.g. make serve PYTHON=python3.13" >&2; exit 1; }
	@$(PYTHON) docs_build/lock.py --machine --check
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==25.3
	$(BIN)/python docs_build/lock.py --only torch > $(VENV)/torch-lock.txt
	@if [ "$$(uname -s)" = Linux ]; then \
	  echo "torch (CPU build): from a wheel folder pip is configured with, else $(TORCH_INDEX_URL)"; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps --no-index -r $(VENV)/torch-lock.txt 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps --index-url $(TORCH_INDEX_URL) -r $(VENV)/torch-lock.txt || \
	  { echo "The set-up stops: torch's CPU build for this Python is in no local wheel folder, and $(TORCH_INDEX_URL) did not provide a file the lock has a hash for (README.md, Supported machines)." >&2; exit 1; }; fi
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
	$(BIN)/python -m pytest -m meta  # the fault suite and the determinism check (tests/conftest.py)

lock:
	$(PYTHON) docs_build/lock.py $(if $(TORCH_WHEELS),--torch-wheels $(TORCH_WHEELS))

outputs: setup
	$(BIN)/python -m docs_build.outputs --update

bench: setup setup-browser
	$(BIN)/python -m benchmarks $(BENCH)

clean:
	rm -rf site .cache .pytest_cache test-results
