# jwstmodels developer commands. `make help` lists them.
# Every target sets up what it needs: a local virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
GEN    := generated/jwstmodels_generated

.DEFAULT_GOAL := help
.PHONY: help install demo generate check-generated lint format typecheck pytest test test-lazy bench bench-smoke clean docs
.PHONY: bench-fresh

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv with the package (editable) and the development tools

demo: $(STAMP) ## Build a model, save it as FITS and ASDF, open both again and print a summary
	$(BIN)/python examples/demo.py

generate: $(STAMP) ## Regenerate generated/ from schemas/
	$(BIN)/python -m codegen --schemas schemas --out $(GEN)

check-generated: $(STAMP) ## Fail when generated/ is stale
	$(BIN)/python -m codegen --schemas schemas --out $(GEN) --check

lint: $(STAMP) ## ruff lint and format check; import-linter's layer and no-cycle contracts (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP) ## ruff format and autofix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP) ## pyright --strict on src/, generated/ and tests/typing; mypy --strict on tests/typing
	$(BIN)/pyright
	$(BIN)/mypy

pytest: $(STAMP) ## The pytest suite alone
	$(BIN)/python -m pytest -q

test: check-generated lint typecheck pytest ## Everything CI runs

test-lazy: $(STAMP) ## The I/O suites again with every FITS open lazy, as in a user's session (pytest's -W error makes opens eager) (6-12 min)
	$(BIN)/python -m pytest -q --fits-read-mode=lazy tests/io tests/interop tests/wcs tests/hostile tests/cli tests/container tests/compat

bench: $(STAMP) ## Benchmarks beside stdatamodels and the I/O floor: table + .bench/results.json (< 5 min)
	$(BIN)/python -m benchmarks.run

bench-fresh: $(STAMP) ## Rows 1-3 of make bench alone (fresh-process import, create+save, open+sum; ~1 min)
	$(BIN)/python -m benchmarks.fresh

bench-smoke: $(STAMP) ## The benchmarks at tiny sizes, one repeat: checks the harness, measures nothing
	$(BIN)/python -m benchmarks.run --quick --out .bench/smoke.json

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) $(PIPE_VENV) .pytest_cache .mypy_cache .ruff_cache dist build

docs: $(STAMP) ## Sphinx site (guide + a page per model) in docs/_build/html, warnings as errors; Chromium check
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	$(BIN)/python docs/_ext/model_pages.py check-browser docs/_build/html

.PHONY: pipeline-test
# The pipeline gets its own environment: the `pipeline` extra (jwst 3.0) pins older versions of some of .venv's
# packages (asdf 6 -> 5.4), and .venv keeps the development versions `make test` checks against.
PIPE_VENV  := .venv-pipeline
PIPE_BIN   := $(PIPE_VENV)/bin
PIPE_STAMP := $(PIPE_VENV)/.installed-stamp

$(PIPE_STAMP): pyproject.toml $(STAMP)
	test -x $(PIPE_BIN)/python || $(BIN)/uv venv --quiet --python $(BIN)/python $(PIPE_VENV)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(PIPE_BIN)/python -e ".[dev,pipeline]"
	touch $(PIPE_STAMP)

pipeline-test: $(PIPE_STAMP) ## The JWST pipeline on jwstmodels (issue 16) in its own .venv-pipeline, and the I/O tests on its asdf (3-5 min)
	$(PIPE_BIN)/python -m pytest -q -m pipeline tests/pipeline tests/compat
	@echo "The I/O, interoperability and WCS tests again, on the pipeline's versions (asdf $$($(PIPE_BIN)/python -c 'import asdf; print(asdf.__version__)')):"
	$(PIPE_BIN)/python -m pytest -q tests/io tests/interop tests/wcs
