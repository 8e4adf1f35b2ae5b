# Stability AI decline report. `make` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Git's filter for notebooks (.gitattributes): what is staged or diffed is the notebook without
# outputs, execution counts or the metadata JupyterLab and papermill add when they save one.
NBSTRIPOUT := $(VENV)/bin/nbstripout --keep-id --extra-keys 'metadata.papermill \
  cell.metadata.papermill metadata.language_info.version metadata.language_info.mimetype \
  metadata.language_info.codemirror_mode metadata.language_info.file_extension \
  metadata.language_info.nbconvert_exporter metadata.language_info.pygments_lexer'

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /' | column -t -s ':'

# The pinned packages, then this checkout as the venv's own package (editable: the code is read
# from here; the install declares the console script and papermill's entry point). A venv made
# before the package was installed this way holds a .pth link and a dist-info without a RECORD,
# which pip cannot uninstall: they are removed first.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	rm -f $(VENV)/lib/python*/site-packages/stability_report.pth
	for d in $(VENV)/lib/python*/site-packages/stability_report-*.dist-info; do \
	  [ -e "$$d/RECORD" ] || rm -rf "$$d"; done
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (stability-report)" >/dev/null
	@$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

# git's notebook filter in this checkout's own configuration (make env runs it).
git-filter:
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then \
	  git config filter.nbstripout.clean "$(NBSTRIPOUT)" && git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "$(NBSTRIPOUT) --textconv" && \
	  echo "git filter nbstripout: notebooks are committed without outputs"; fi

## system-deps: install the Debian packages the PDF route and its checks need (chromium, poppler-utils, fonts)
system-deps:
	bash .ci/system-deps

## env: create .venv with the pinned Python packages and this package installed
env: $(STAMP)

## report: set up everything, run the notebooks and render report/report.html and report/report.pdf (ARGS="-p burn_basis feb2024" explores a scenario, into scratch/)
report: system-deps $(STAMP)
	$(VENV)/bin/stability-report run $(ARGS)

## lint: ruff's checks (complexity included) and its formatting, and vulture's dead code (the package and the notebooks' code)
lint: $(STAMP)
	$(VENV)/bin/ruff check stability_report tests bench
	$(VENV)/bin/ruff format --check stability_report tests bench
	@cells=$$(mktemp -d) && trap 'rm -rf "$$cells"' EXIT && \
	  $(VENV)/bin/jupyter nbconvert --to script --log-level=ERROR --output-dir "$$cells" notebooks/[0-9][0-9]-*.ipynb && \
	  for f in "$$cells"/*; do mv "$$f" "$${f%.*}.py"; done && \
	  $(VENV)/bin/vulture stability_report "$$cells" && echo "vulture: no dead code"

## test: set up everything, lint, and run the whole test suite, unit and integration, on two workers (what CI runs)
test: system-deps $(STAMP) lint
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## test-fast: the unit tests (tests/unit: no kernel, no browser, no render; seconds), for the edit loop
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

## bench: time the cold render, no-op and one-fact re-runs and peak memory against the plain papermill + nbconvert route (BENCH_ARGS=--quick)
bench: system-deps $(STAMP)
	$(PY) bench/bench.py $(BENCH_ARGS)

## lab: JupyterLab on the notebooks with the project's kernel; prints the address to open (LAB_ARGS="--ip=0.0.0.0 --port=8890")
lab: $(STAMP)
	$(PY) -m stability_report.tools.lab $(LAB_ARGS)

## facts: validate the fact base and regenerate the data dictionary (data/README.md)
facts: $(STAMP)
	$(PY) -m stability_report.facts
	$(PY) -m stability_report.facts --dictionary > data/README.md

## extract-eval: how many curated money facts and departures the extraction assistant finds, per source
extract-eval: $(STAMP)
	$(PY) -m stability_report.tools.intake.evaluate

## clean: remove the environment and generated files (keeps the published report)
clean:
	rm -rf $(VENV) .pytest_cache report/.work
	find . -name __pycache__ -prune -exec rm -rf {} +

.PHONY: help system-deps env git-filter report lint test test-fast bench lab facts extract-eval clean
