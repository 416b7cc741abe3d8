# Two commands set everything up: `make lab` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: lab test run

# The virtual environment with the pinned packages and the Jupyter kernel.
$(BIN)/jupyter: requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3
	touch $(BIN)/jupyter

# Start JupyterLab on the course (root, e.g. in a container, needs --allow-root).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(BIN)/jupyter
	$(BIN)/jupyter lab --notebook-dir=. $(LAB_FLAGS) notebooks/01_lenet.ipynb

# The whole test suite: unit tests, papermill runs, nbval over every notebook.
test: $(BIN)/jupyter
	$(BIN)/python -m pytest

# Run one notebook with papermill, e.g. `make run NB=01_lenet ARGS="-p DEVICE cuda -p EPOCHS 20"`.
run: $(BIN)/jupyter
	mkdir -p runs && $(BIN)/papermill notebooks/$(NB).ipynb runs/$(NB).ipynb $(ARGS)
