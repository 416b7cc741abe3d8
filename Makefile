# Two commands set everything up: `make lab` and `make test`. The rest are one-liners over utils.runner.
# PYTHON: the newest interpreter from 3.11 to 3.14 found on the PATH, or PYTHON=... to choose.
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 14))
PYTHON ?= $(firstword $(foreach p,python3.14 python3.13 python3.12 python3.11 python3,$(shell $(p) -c '$(SUPPORTED)' 2>/dev/null && echo $(p))))
VENV := .venv
BIN := $(VENV)/bin
NB ?=

.PHONY: lab test test-browser run refresh bench student slides book

# The virtual environment with the pinned packages and the Jupyter kernel.
$(BIN)/jupyter: requirements.txt pyproject.toml utils/jupyterlab/overrides.json
	@$(PYTHON) -c '$(SUPPORTED)' 2>/dev/null || { echo "PYTHON='$(PYTHON)' is not a Python from 3.11 to 3.14 (none was found on the PATH, or the one given is outside that range); install one, or run make PYTHON=/path/to/python3.x."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3
	mkdir -p $(VENV)/share/jupyter/lab/settings && cp utils/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/
	touch $(BIN)/jupyter

# Start JupyterLab on the course (root, e.g. in a container, needs --allow-root).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(BIN)/jupyter
	$(BIN)/jupyter lab --notebook-dir=. $(LAB_FLAGS) notebooks/01_lenet.ipynb

# The whole test suite: unit tests, papermill runs, nbval over every notebook.
test: $(BIN)/jupyter
	$(BIN)/python -m pytest

# The browser test with every notebook run in full (CI runs LeNet and transfer learning in full, opens the rest).
test-browser: $(BIN)/jupyter
	COURSE_BROWSER_ALL=1 $(BIN)/python -m pytest tests/test_browser.py

# Every notebook and the deck into build/run/ with a report, e.g. `make run ARGS="--parameters notebooks/gpu.yaml"`
# (or some of them: `make run NB="01_lenet 03_vgg"`).
run: $(BIN)/jupyter
	$(BIN)/python -m utils.runner run $(ARGS) $(NB)

# Re-execute committed notebooks in place from a fresh kernel (all, or `make refresh NB=03_vgg`).
refresh: $(BIN)/jupyter
	$(BIN)/python -m utils.runner refresh $(NB)

# Time and memory of each default run against the budgets (on a quiet machine); writes build/bench.json.
bench: $(BIN)/jupyter
	$(BIN)/python -m utils.runner bench $(NB)

# Student copies of every notebook into build/student/: solutions become stubs, the exercises' outputs cleared.
student: $(BIN)/jupyter
	$(BIN)/python -m utils.student build/student

# The lecture deck, both editions executed afresh, as offline HTML: build/slides/cnn_architectures.html and .ru.html.
slides: $(BIN)/jupyter
	$(BIN)/python -m utils.slides

# The course as a static website from the committed notebooks (nothing run, nothing fetched): build/book/index.html.
book: $(BIN)/jupyter
	$(BIN)/python -m utils.book
