# Two commands on a fresh machine with only Python:
#   make demo   creates .venv, installs, solves inputs/hauts_de_france_2030.xlsx into outputs/
#   make test   creates .venv, installs, runs the tests (slow benchmarks excluded)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner solve inputs/hauts_de_france_2030.xlsx --output-dir outputs

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# Benchmarks (about half an hour on 2 cores): bench/results.md gets the tables.
# bench/run.py times whole `planner solve` processes phase by phase (N = 1 and 10
# regions, LP and MIP); N = 40: `.venv/bin/python bench/run.py --sizes 40 --modes lp`.
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/orlib.py
	$(BIN)/python bench/handoff.py
	$(BIN)/python -m pytest -q -m slow -s
	$(BIN)/python -m pytest -q -s tests/test_hostile_inputs.py -k "validate_refuses"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
