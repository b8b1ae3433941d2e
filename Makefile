# deterrence-sim: `make demo` runs the default scenario, `make test` runs the checks, `make view` shows
# a ceasefire in the browser, `make calibrate` refits the shipped posterior, `make validate` writes
# docs/validation.md.
# All create the virtual environment and install the project first (nothing else is needed).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint view clean explore calibrate validate

$(STAMP): pyproject.toml
	command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium not installed: the browser tests of the report and the view will be skipped"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,view]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/deterrence-sim +experiment=demo -m hydra/launcher=joblib hydra.sweep.dir=outputs/demo
	$(BIN)/deterrence-sim-report outputs/demo --baseline none --out outputs/demo/report
	@echo "report: outputs/demo/report/report.html"

# The "what matters" study (experiments/what_matters/): Sobol' indices of 12 parameters, N = 1,024,
# under paris_package and none, then its report and FINDINGS.md. Heavy (minutes on 2 cores); re-running
# resumes an interrupted exploration.
EXPLORE_DIR ?= explorations/what_matters
explore: $(STAMP)
	$(BIN)/deterrence-sim-explore explore=what_matters explore.out=$(EXPLORE_DIR) $(OVERRIDES)
	$(BIN)/deterrence-sim-report $(EXPLORE_DIR) --out $(EXPLORE_DIR)/report
	$(BIN)/python experiments/what_matters/make_findings.py $(EXPLORE_DIR) --out experiments/what_matters/FINDINGS.md

# Watch a ceasefire in the browser (http://127.0.0.1:8765); e.g. make view OVERRIDES="guarantee=none"
view: $(STAMP)
	$(BIN)/deterrence-sim-view $(OVERRIDES)

# The shipped calibration: ABC-SMC of the bare truce against Fortna's civil-war ceasefires without
# peacekeepers, populations split over joblib's workers (2 cores: 20 minutes). Re-running it
# resumes an interrupted run. Writes experiments/calibration/fortna_civil_no_pk/ and the posterior
# that `calibration=fortna_civil_no_pk` (the default) draws from, then the validation page.
CALIBRATION := fortna_civil_no_pk
calibrate: $(STAMP)
	nice -n 10 $(BIN)/deterrence-sim-calibrate $(CALIBRATION) hydra/launcher=joblib \
		--out experiments/calibration/$(CALIBRATION) \
		--posterior src/deterrence_sim/calibration/posteriors/$(CALIBRATION).parquet
	$(MAKE) validate

# docs/validation.md from the shipped calibration (about 10 minutes)
validate: $(STAMP)
	nice -n 10 $(BIN)/python docs/make_validation.py --calibration $(CALIBRATION)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs experiments

# The tests on every core (pytest-xdist), a module per worker so that its fixtures are built once;
# a plain `pytest` runs them in one process
test: lint
	$(BIN)/python -m pytest -n auto --dist loadscope

bench: $(STAMP)
	$(BIN)/python -m pytest benchmarks --benchmark-enable --benchmark-only \
		--benchmark-columns=min,mean,max,rounds --benchmark-sort=name

clean:
	rm -rf $(VENV) outputs multirun explorations .pytest_cache .ruff_cache .benchmarks
