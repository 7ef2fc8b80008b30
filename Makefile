# Probation inspection analysis workspace. `make` (or `make help`) lists the targets.
# Every target bootstraps what it needs: a fresh machine with Python 3.11 and the package
# registries is enough.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := probation-analysis
# axe-core (MPL-2.0, licence in its folder) from the npm registry, for the accessibility check
BROWSER_DEPS := .browser-deps
AXE    := $(BROWSER_DEPS)/node_modules/axe-core/axe.min.js

.DEFAULT_GOAL := help
.PHONY: help install constraints data reports test test-fast browser-deps bench validate lab lint format simulate clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Create .venv, install the project and its dependencies (versions from constraints.txt), register the Jupyter kernel

constraints: install ## Rewrite constraints.txt from the versions installed in .venv (after changing a dependency)
	$(BIN)/python .ci/write_constraints.py

data: install ## Validate data/raw and build the tidy tables in data/processed
	$(BIN)/analysis build

reports: data ## MAIN JOB: build data, run every notebook for national + 12 regions, write HTML to reports/
	$(BIN)/analysis reports

test: install browser-deps ## Run the test suite (the CI command); the full simulation studies are in make validate
	$(BIN)/python -m pytest -m "not validation" -n auto --dist loadfile

test-fast: install ## Run the tests without slow, browser and cluster tests
	$(BIN)/python -m pytest -m "not slow and not browser and not cluster" -n auto --dist loadfile

browser-deps: ## Install Debian's chromium, chromedriver (apt-get) and axe-core (npm, into .browser-deps/) for the browser tests
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
	  echo "chromium and chromedriver present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	    || echo "WARNING: could not install chromium; the browser test will be skipped"; \
	else \
	  echo "WARNING: chromium/chromedriver missing and cannot apt-get install here; the browser test will be skipped"; \
	fi
	@if [ -f $(AXE) ]; then \
	  echo "axe-core present"; \
	else \
	  if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || true; \
	  fi; \
	  (command -v npm >/dev/null 2>&1 && mkdir -p $(BROWSER_DEPS) \
	    && npm install --prefix $(BROWSER_DEPS) --no-save --no-audit --no-fund --loglevel=error 'axe-core@>=4.10 <5' >/dev/null) \
	    || echo "WARNING: could not install axe-core with npm; the accessibility check will be skipped"; \
	fi

bench: install ## Run the benchmarks; results in benchmarks/results/latest.txt
	@mkdir -p benchmarks/results
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done | tee benchmarks/results/latest.txt

validate: install ## Simulation studies: association models (national, 6/8/15 PDUs, within-PDU at 6/15/108) and the calibration of rating probabilities (standards and overall, near band edges)
	$(BIN)/analysis validate --replications 200 --few-pdus 6 8 15 --rating-replications 20 --out reports/validation
	$(BIN)/python -m pytest -m validation -p no:cacheprovider tests/models
	$(BIN)/python -c "from analysis.synthetic.reliability_study import run_calibration_study as r; print(r(replications=50, out='reports/validation', scenarios=('equal', 'equal_varied', 'generator', 'published')).markdown())"
	$(BIN)/python -c "from analysis.models.within_study import run_within_pdu_study as r, within_markdown as m; print(m(r(replications=200)[0]))"

simulate: install ## Regenerate the committed synthetic sample in data/raw/synthetic
	$(BIN)/analysis simulate

lab: install ## JupyterLab on the workspace kernel (127.0.0.1, a free port, a token; PORT=... to choose)
	$(BIN)/python -m analysis.runs.lab --notebook-dir=notebooks $(if $(PORT),--port=$(PORT),)

lint: install ## ruff lint and format check, notebooks stripped of outputs, the layers contract
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/nbstripout --verify notebooks/*.ipynb
	$(BIN)/lint-imports

format: install ## Apply ruff formatting and fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

clean: ## Remove generated data and reports (keeps .venv)
	rm -rf data/processed/*.parquet data/processed/manifest.json reports/*/ reports/index.html .pytest_cache
