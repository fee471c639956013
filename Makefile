# clearplan: `make serve` to preview the bundled plan, `make test` to run every test.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
BIN := $(CURDIR)/$(VENV)/bin
# mike and the tests shell out to mkdocs: the venv must be on PATH.
export PATH := $(BIN):$(PATH)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install system-deps serve build check test bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian packages the tests need: chromium for browser tests, poppler-utils for PDF pages.
SYSTEM_PACKAGES := chromium:chromium pdftoppm:poppler-utils
system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

serve: install
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: install
	$(BIN)/mkdocs build --strict

check: install
	$(BIN)/clearplan check

test: install system-deps
	$(BIN)/clearplan check
	$(PYTHON) -m pytest --cov=clearplan --cov-report=term-missing:skip-covered --cov-fail-under=90

# Slow, so not part of `make test`: timings and page weights against the budgets in README.md
# (installs npm lighthouse under benchmarks/.node on first run). Exits non-zero when a budget is missed.
bench: install system-deps
	$(PYTHON) benchmarks/bench.py

clean:
	rm -rf site .pytest_cache .coverage
