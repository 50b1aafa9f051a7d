# The course's commands. Every target sets itself up: on a fresh clone `make run` and
# `make test` are all you need. See README.md.

PYTHON  ?= python3
PROFILE ?= $(or $(COURSE_PROFILE),full)
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Quiet TensorFlow's C++ logging in every process these targets start.
export TF_CPP_MIN_LOG_LEVEL := 3
# Kernels run in notebooks/, so a relative mirror path is made absolute here.
ifdef COURSE_DATA_DIR
export COURSE_DATA_DIR := $(abspath $(COURSE_DATA_DIR))
endif

.PHONY: help setup lab run test unit nbval lint data checked clean

help:
	@echo "make run      execute every notebook (PROFILE=full|smoke) and print the results table"
	@echo "make test     lint, unit tests, notebook hygiene, and nbval over every notebook (smoke)"
	@echo "make setup    create .venv and install requirements.txt and course_utils"
	@echo "make lab      open the course in JupyterLab"
	@echo "make data     download every data set into data/ (needs internet)"
	@echo "make lint     ruff over src, tests and notebooks"
	@echo "make checked  store the outputs of the checked cells (after editing one)"
	@echo "make clean    remove build outputs (keeps .venv and data/)"

setup: $(STAMP)

# Re-installs only when requirements.txt or pyproject.toml changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else f"Python {v[0]}.{v[1]} ($(PYTHON)) cannot run the course: it needs Python 3.11, 3.12 or 3.13; install one and run make again with PYTHON=python3.12 (for example).")'
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; then \
		echo "$(VENV) was made with an unsupported Python: removing it"; rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	@touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks

run: setup
	$(BIN)/python -m course_utils.runner --profile $(PROFILE) $(NOTEBOOKS)

data: setup
	$(BIN)/python -m course_utils.data

lint: setup
	$(BIN)/ruff check src tests notebooks

unit: setup
	$(BIN)/python -m pytest -q tests

# nbval executes each notebook in the smoke profile and compares the cells marked
# NBVAL_CHECK_OUTPUT; tests/conftest.py keeps stderr out of the comparison.
nbval: setup
	COURSE_PROFILE=smoke COURSE_RESULTS_DIR=build/nbval-results $(BIN)/python -m pytest -q \
		-p tests.conftest --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

test: lint unit nbval

# After editing a cell marked NBVAL_CHECK_OUTPUT: run the notebooks in the smoke profile and
# store their checked outputs (make checked NOTEBOOKS=notebooks/01_language_modelling.ipynb).
checked: setup
	$(BIN)/python -m course_utils.runner --profile smoke --store-checked --build build/checked $(NOTEBOOKS)

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
