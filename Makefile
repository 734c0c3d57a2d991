# Developer and CI entry points. Everything installs into .venv from pyproject.toml's extras,
# always with constraints.txt: torch is pinned to the CPU wheel, and a pip call without the pins
# could resolve a newer torch and fetch a multi-GB CUDA build.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -c constraints.txt
STAMP  := $(VENV)/.installed

.PHONY: .venv demo lint test test-deep bench wrappers clean-venv

.venv: $(STAMP)

# Stamp: re-install only when the dependency declarations change.
$(STAMP): pyproject.toml constraints.txt setup.py xops/_speedups.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e '.[all,test,examples]'
	touch $@

demo: .venv
	$(BIN)/python -m xops demo
	$(BIN)/python examples/digits.py --epochs 5

# ruff and mypy settings live in pyproject.toml; mypy caches in .mypy_cache (a warm run takes
# about a second, a cold one about 20 s).
lint: .venv
	$(BIN)/ruff check xops tests benchmarks examples
	$(BIN)/mypy xops

# tests/sharded/ runs in a second process: jax sees 8 simulated host devices there (the flag must
# be set before jax starts), torch spawns 2 gloo ranks, tensorflow 2 logical CPU devices.
test: lint
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -n 2 -q
	XOPS_SHARDED=1 XLA_FLAGS=--xla_force_host_platform_device_count=8 HYPOTHESIS_PROFILE=ci \
		$(BIN)/python -m pytest -q tests/sharded

test-deep: .venv
	HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest -n 2 -q

# Regenerate the op wrappers and the xops.numpy name index after changing a declaration
# (tests/test_import.py fails until they match).
wrappers: .venv
	$(BIN)/python -c "from xops.numpy_api._registry import write_wrappers; write_wrappers()"

# The benchmark report (benchmarks/report.py): native, xops and the peers (keras.ops,
# array-api-compat, autoray: the bench extra) side by side; prints the tables and writes
# benchmarks/results/report.md and overhead.png. About 10 minutes on 2 cores;
# `make bench BENCH_ARGS=--quick` takes under 2.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(PIP) -e '.[bench]'
	touch $@

bench: .venv $(BENCH_STAMP)
	$(BIN)/python benchmarks/report.py $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
