# The course's commands. Every target sets itself up: on a fresh clone `make run` and
# `make test` are all you need. See README.md.

PYTHON  ?= python3
# Test processes at once (pytest-xdist): notebooks spend much of their smoke run compiling, which
# one core does, so two at a time fill a 2-core machine.
JOBS    ?= 2
# Notebooks `make run` runs at a time, each on its share of the cores: one trains on about one
# core, so two side by side fill a 2-core machine (README, "Two notebooks at a time").
RUN_JOBS ?= 2
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

.PHONY: help setup lab run test unit nbval slides slides-test lint data checked clean browser \
	debian-packages bench student

help:
	@echo "make run      execute every notebook (PROFILE=full|smoke), two at a time (RUN_JOBS=1: in"
	@echo "              turn), and print the results table"
	@echo "make test     lint, unit tests, notebook hygiene, nbval over every notebook (smoke), and"
	@echo "              the smoke-profile slides checked in headless Chromium"
	@echo "make slides   execute every notebook (PROFILE=full|smoke) and render its offline reveal.js"
	@echo "              deck and HTML page into build/slides (start at build/index.html)"
	@echo "make student  the student edition (nbgrader generate_assignment: solutions out, outputs"
	@echo "              cleared, checked) into build/student/ and build/student.zip"
	@echo "make setup    create .venv and install requirements.txt and course_utils"
	@echo "make lab      open the course in JupyterLab"
	@echo "make data     download every data set into data/ (needs internet)"
	@echo "make lint     ruff over src, tests and notebooks"
	@echo "make checked  store the outputs of the checked cells (after editing one)"
	@echo "make bench    seconds per epoch of every model, the seed's configuration beside the"
	@echo "              course's, into build/bench.json (BENCH_ARGS=\"--models lstm --steps 5\")"
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

# nbgrader, for the student edition, in a venv of its own: it brings Jupyter server extensions
# (formgrader, assignment list) that the course's JupyterLab must not load, and it needs none of
# the course's TensorFlow. requirements.txt constrains what the two share (jupyterlab, nbconvert,
# nbformat, nbclient, ipykernel), so nbgrader runs on the notebook stack the course is tested with.
# The venv is made anew when the pin (the stamp's name) or requirements.txt changes; made with
# .venv's Python, so it has a Python the course supports (make clean removes it with the rest of
# build/). A .pth file puts .venv's packages on its path after its own, so pip installs only what
# nbgrader adds (18 s instead of 59 s on a 2-core machine); nothing of nbgrader's reaches .venv.
NBGRADER_VERSION := 0.9.6
NBGRADER_VENV    := build/nbgrader-venv
NBGRADER         := $(NBGRADER_VENV)/bin/nbgrader
NBGRADER_STAMP   := $(NBGRADER_VENV)/.installed-$(NBGRADER_VERSION)
$(NBGRADER_STAMP): requirements.txt | $(STAMP)
	rm -rf $(NBGRADER_VENV)
	$(BIN)/python -m venv $(NBGRADER_VENV)
	$(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
		> "$$($(NBGRADER_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/course-venv.pth"
	$(NBGRADER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.txt nbgrader==$(NBGRADER_VERSION)
	@touch $@

# Debian packages some targets need (each package name is also the command it provides): installed
# with apt-get when missing, through sudo only when not root; where that cannot work, the exact
# command to run. COURSE_CHROMIUM, when it names a browser binary, stands in for chromium.
PACKAGES ?=
WHY ?=
debian-packages:
	@missing=""; for package in $(PACKAGES); do \
		if [ "$$package" = chromium ] && [ -x "$$COURSE_CHROMIUM" ]; then continue; fi; \
		command -v "$$package" >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	missing=$${missing# }; [ -n "$$missing" ] || exit 0; \
	command="apt-get update && apt-get install -y --no-install-recommends $$missing"; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "$$missing is missing ($(WHY)), and this is not a Debian-like system (no apt-get): install $$missing with its package manager and run make again (for the browser, COURSE_CHROMIUM may name a Chromium or Chrome binary instead)."; exit 1; \
	elif [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo "; \
	else echo "$$missing is missing ($(WHY)), and installing it needs root: run  $$command  as root, then make again."; exit 1; fi; \
	echo "Installing $$missing from Debian ($(WHY)): $${sudo}apt-get install $$missing"; \
	{ $${sudo}apt-get update -qq && $${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; } >/dev/null || { \
		echo "Could not install $$missing with apt-get (see above): run  $$command  $${sudo:+with sudo }yourself, then make again."; exit 1; }

# The browser the slides' tests drive (Playwright never downloads one).
browser:
	@$(MAKE) --no-print-directory debian-packages PACKAGES=chromium WHY="the slides' browser tests run in it"

# reveal.js 4, MathJax 2, require.js and jQuery for the offline slides, pinned in package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@$(MAKE) --no-print-directory debian-packages PACKAGES=npm WHY="the slides install reveal.js, MathJax and require.js from package-lock.json with it"
	npm ci --prefer-offline --no-audit --no-fund
	@touch $@

lab: setup
	$(BIN)/jupyter lab notebooks

run: setup
	$(BIN)/python -m course_utils.runner --profile $(PROFILE) --jobs $(RUN_JOBS) $(NOTEBOOKS)

data: setup
	$(BIN)/python -m course_utils.data

lint: setup
	$(BIN)/ruff check src tests notebooks

# tests/test_student.py runs nbgrader from its venv; told where it is, it fails rather than skips
# when it is missing.
unit: setup $(NBGRADER_STAMP)
	COURSE_NBGRADER=$(CURDIR)/$(NBGRADER) $(BIN)/python -m pytest -q -n $(JOBS) tests

# nbval executes each notebook in the smoke profile and compares the cells marked
# NBVAL_CHECK_OUTPUT; tests/conftest.py keeps stderr out of the comparison. Each nbval run has a
# folder of its own, NBVAL_RUN (the time and make's process id): results/ for what the notebooks
# record, and notebooks/ where tests/nbval_keep.py keeps each notebook as nbval ran it (outputs
# included), so that slides-test renders the smoke decks without running them again. Nothing is
# deleted first, so two `make test` at once keep their own files; when nbval ends,
# build/nbval-results and build/nbval-notebooks are pointed at this run's folders (each link
# replaced in one rename). make clean removes old runs.
# What nbval runs is each notebook with its exercises answered twice, in place (both_editions):
# blank, as in the student edition (its test cells may fail, and must fail on the blank), then as
# the instructor wrote them (they must pass). So one run executes the student edition top to
# bottom and every solution; the check after it reads the executed notebooks.
NBVAL_RUN := build/nbval-runs/$(shell echo "$$(date +%Y%m%d-%H%M%S)-$$PPID")
nbval: setup
	$(BIN)/python -m course_utils.both_editions $(NBVAL_RUN)/editions $(NOTEBOOKS)
	COURSE_PROFILE=smoke COURSE_RESULTS_DIR=$(CURDIR)/$(NBVAL_RUN)/results $(BIN)/python -m pytest -q \
		-n $(JOBS) --dist loadfile \
		-p tests.conftest -p tests.nbval_keep --nbval-keep $(NBVAL_RUN)/notebooks \
		--nbval-link build/nbval-results=$(NBVAL_RUN)/results \
		--nbval-link build/nbval-notebooks=$(NBVAL_RUN)/notebooks \
		--nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg \
		$(addprefix $(NBVAL_RUN)/editions/,$(notdir $(NOTEBOOKS)))
	$(BIN)/python -m course_utils.both_editions --check $(NBVAL_RUN)/notebooks

# Execute every notebook and render its deck and page into build/slides (see README, "Slides").
slides: setup $(NODE_STAMP)
	$(BIN)/python -m course_utils.slides --profile $(PROFILE) --jobs $(RUN_JOBS) $(NOTEBOOKS)

# The smoke-profile decks from this make's nbval run, then tests/test_slides.py in headless Chromium
# (Debian's chromium, installed by the browser target when missing).
define CHECK_SLIDES
	$(BIN)/python -m course_utils.slides --profile smoke --executed $(NBVAL_RUN)/notebooks \
		--results $(NBVAL_RUN)/results $(NOTEBOOKS)
	COURSE_SLIDES_DIR=build/slides $(BIN)/python -m pytest -q -n $(JOBS) tests/test_slides.py
endef
slides-test: browser setup $(NODE_STAMP) nbval
	$(CHECK_SLIDES)

# The browser comes first, so that a machine that cannot install it stops at once, not after nbval.
# The unit tests and nbval run at the same time (a make of their own, told this make's NBVAL_RUN;
# each target's output printed whole when it ends): neither keeps both cores busy on its own (the
# unit tests wait on kernels and subprocesses, nbval on one notebook at its end), so together they
# take less than one after the other. Measured no faster (2026-11-28): nbval first, then the unit
# tests beside the slides (537 s against 541 s), and the unit tests under `nice` (Linux schedules
# each kernel, a session of its own, as a group, so nice does not rank them below the kernels).
test: browser lint $(NODE_STAMP)
	$(MAKE) --no-print-directory -j 2 --output-sync=target unit nbval NBVAL_RUN=$(NBVAL_RUN)
	$(CHECK_SLIDES)

# After editing a cell marked NBVAL_CHECK_OUTPUT: run the notebooks in the smoke profile and
# store their checked outputs (make checked NOTEBOOKS=notebooks/01_language_modelling.ipynb).
checked: setup
	$(BIN)/python -m course_utils.runner --profile smoke --store-checked --build build/checked $(NOTEBOOKS)

# The student edition of every notebook (course_utils.student): each notebook an nbgrader
# assignment of its own, through nbgrader's generate_assignment (solution regions replaced by
# nbgrader's stubs, hidden tests out, outputs cleared), checked against the instructor's, then
# renamed into build/student/<assignment>/ and build/student.zip whole (nothing on failure).
student: setup $(NBGRADER_STAMP)
	$(BIN)/python -m course_utils.student --build build --nbgrader $(NBGRADER) $(NOTEBOOKS)

# Seconds per epoch of each model at full size on synthetic batches, the seed's configuration
# beside the course's, timed in turns in one run (README, "Measuring speed"); BENCH_ARGS passes
# options on: --models NAME ..., --steps N, --warmup N, --json PATH, --list.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m course_utils.bench $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
