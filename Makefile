# Two commands on a fresh machine with only Python:
#   make demo   creates .venv, installs the locked versions, solves inputs/hauts_de_france_2030.xlsx into outputs/
#   make test   creates .venv, installs the locked versions, runs the tests (slow benchmarks excluded)
# Dependencies: requirements/lock.txt holds the exact versions (with hashes) the tests pass on;
# `make lock` regenerates it with pip-compile; `make test-latest` runs the tests on the newest releases.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements/lock.txt
LATEST := .venv-latest

.PHONY: demo test test-latest bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(BIN)/python -m pip check --disable-pip-version-check >/dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner solve inputs/hauts_de_france_2030.xlsx --output-dir outputs

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# The same tests on whatever PyPI serves today (its own venv, the lock untouched): an upstream
# regression shows here before a planner meets it. It prints the versions it tested.
test-latest:
	@test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade --upgrade-strategy eager -e '.[test]'
	@$(LATEST)/bin/python -c "import importlib.metadata as m; print('newest releases:', ', '.join(f'{p} {m.version(p)}' for p in ('highspy', 'pyomo', 'pandas', 'openpyxl', 'numpy', 'scipy', 'matplotlib', 'defusedxml')))"
	PLANNER_TEST_LATEST=1 $(LATEST)/bin/python -m pytest -q -m "not slow"

# Regenerate the lock from pyproject.toml (+ requirements/hold.txt), then run `make test`
# before committing it. A tool venv keeps pip-tools out of the planner's environment.
lock:
	@test -x .venv-tools/bin/pip-compile || ($(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools)
	.venv-tools/bin/pip-compile --quiet --upgrade --extra test --generate-hashes --strip-extras \
	    --no-emit-index-url --no-emit-find-links \
	    -c requirements/hold.txt --output-file $(LOCK) pyproject.toml

# Benchmarks (about two hours on 2 cores): bench/results.md gets the tables.
# bench/run.py times whole `planner solve` processes phase by phase (N = 1 and 10
# regions, LP and MIP); N = 40: `.venv/bin/python bench/run.py --sizes 40 --modes lp`.
# bench/quality.py: each stage of the shipped minute against a long run (N = 1, 3, 10).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/orlib.py
	$(BIN)/python bench/handoff.py
	$(BIN)/python -m pytest -q -m slow -s
	$(BIN)/python -m pytest -q -s tests/test_hostile_inputs.py -k "validate_refuses"

clean:
	rm -rf $(VENV) $(LATEST) .venv-tools build *.egg-info .pytest_cache
