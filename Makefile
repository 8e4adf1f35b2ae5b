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

$(STAMP): requirements.txt pyproject.toml .ci/link-checkout
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) .ci/link-checkout
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (stability-report)" >/dev/null
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then \
	  git config filter.nbstripout.clean "$(NBSTRIPOUT)" && git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "$(NBSTRIPOUT) --textconv" && \
	  echo "git filter nbstripout: notebooks are committed without outputs"; fi
	touch $(STAMP)

## system-deps: install the Debian packages the PDF route and its checks need (chromium, poppler-utils, fonts)
system-deps:
	bash .ci/system-deps

## env: create .venv with the pinned Python packages
env: $(STAMP)

## report: set up everything, run the notebooks and render report/report.html and report/report.pdf
report: system-deps $(STAMP)
	$(PY) -m stability_report run $(ARGS)

## test: set up everything and run the test suite
test: system-deps $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## bench: time the cold render, no-op and one-fact re-runs and peak memory against the plain papermill + nbconvert route (BENCH_ARGS=--quick)
bench: system-deps $(STAMP)
	$(PY) bench/bench.py $(BENCH_ARGS)

## lab: open JupyterLab on the notebooks with the project's kernel
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

## facts: validate the fact base and regenerate the data dictionary (data/README.md)
facts: $(STAMP)
	$(PY) -m stability_report.facts
	$(PY) -m stability_report.facts --dictionary > data/README.md

## extract-eval: how many curated money facts and departures the extraction assistant finds, per source
extract-eval: $(STAMP)
	$(PY) -m stability_report.extract_eval

## clean: remove the environment and generated files (keeps the published report)
clean:
	rm -rf $(VENV) .pytest_cache report/.work
	find . -name __pycache__ -prune -exec rm -rf {} +

.PHONY: help system-deps env report test bench lab facts extract-eval clean
