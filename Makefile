# Two commands for everyone: `make run` and `make test`. Both create or reuse .venv and
# reinstall only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-deep lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "quizapp needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/quizapp $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check quizapp tests benchmarks
	$(BIN)/ruff format --check quizapp tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

# The stateful test of the quiz flow with many more random sequences (see
# tests/test_flow_stateful.py: 1,000 sequences of up to 50 steps instead of 40 of 30).
test-deep: $(STAMP)
	QUIZAPP_DEEP=1 $(BIN)/pytest tests/test_flow_stateful.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
