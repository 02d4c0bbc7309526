# Two commands for everyone: `make run` and `make test`. Both create or reuse .venv and
# reinstall only when pyproject.toml changes. `make run` installs only what the app needs;
# `make test` adds the test tools (and, where npm is, an independent GIFT parser).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.installed-app
TOOLS  := $(VENV)/.installed-test
# gift-pegjs, a GIFT parser we did not write, reads our GIFT export in the tests.
GIFT_PARSER := $(VENV)/gift-pegjs/node_modules/gift-pegjs/package.json

.PHONY: run test test-deep lint typecheck contracts pytest bench clean gift-parser

define make_venv
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "quizapp needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
endef

$(APP): pyproject.toml
	$(make_venv)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(APP)

$(TOOLS): pyproject.toml
	$(make_venv)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(APP) $(TOOLS)

$(GIFT_PARSER):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --no-save --fetch-retries=1 --fetch-timeout=20000 --prefix $(VENV)/gift-pegjs \
	    gift-pegjs@1.0.2 pegjs@0.10.0 \
	  || echo "*** could not install gift-pegjs: the GIFT interoperability tests will be SKIPPED"; \
	else \
	  echo "*** npm not found: the GIFT interoperability tests will be SKIPPED (install Node.js)"; \
	fi

gift-parser: $(GIFT_PARSER)

run: $(APP)
	$(BIN)/quizapp $(ARGS)

lint: $(TOOLS)
	$(BIN)/ruff check quizapp tests benchmarks
	$(BIN)/ruff format --check quizapp tests benchmarks

typecheck: $(TOOLS)
	$(BIN)/mypy

# The import contracts in pyproject.toml ([tool.importlinter]). The graph takes ~0.05 s to
# build, so no cache directory is kept.
contracts: $(TOOLS)
	$(BIN)/lint-imports --no-cache --no-logo

pytest: $(TOOLS) gift-parser
	$(BIN)/pytest

test: lint typecheck contracts pytest

# The stateful test of the quiz flow with many more random sequences (see
# tests/test_flow_stateful.py: 1,000 sequences of up to 50 steps instead of 40 of 30).
test-deep: $(TOOLS)
	QUIZAPP_DEEP=1 $(BIN)/pytest tests/test_flow_stateful.py

bench: $(TOOLS)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
