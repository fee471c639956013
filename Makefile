# clearplan: `make serve` to preview the bundled plan, `make test` to run every test.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
BIN := $(CURDIR)/$(VENV)/bin
# mike and the tests shell out to mkdocs: the venv must be on PATH.
export PATH := $(BIN):$(PATH)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install lock generators lock-generators test-latest system-deps validators serve build check lint test bench mutation clean pdf publish publish-tag

# Installs are reproducible: every package, setuptools included, comes from requirements.lock with
# its hashes; clearplan itself is then installed from this tree without resolving anything.
LOCK := requirements.lock
$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PYTHON) -m pip check >/dev/null || { $(PYTHON) -m pip check; echo "requirements.lock does not satisfy pyproject.toml: run make lock" >&2; exit 1; }
	touch $@

install: $(VENV)/.installed

# Update the lock after changing pyproject.toml's dependencies: pins stay as they are where they still
# fit; `make lock UPGRADE=1` takes the newest versions allowed. Hashes cover every platform's files.
# Review the diff, run make test.
LOCK_TOOL := $(VENV)/lock-tool
lock:
	test -x $(LOCK_TOOL)/bin/uv || { python3 -m venv $(LOCK_TOOL) && $(LOCK_TOOL)/bin/pip install --quiet 'uv>=0.9,<1'; }
	echo 'setuptools>=68' | $(LOCK_TOOL)/bin/uv pip compile pyproject.toml - --extra test --extra print --extra dev --extra mutation \
	  --generate-hashes --python-version 3.11 --no-header --quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)

# The other generators `clearplan build --generator` runs (mkdocs-ng, Zensical), in a venv of their own
# from requirements-generators.lock with its hashes: mkdocs-ng installs the same `mkdocs` package as
# MkDocs 1.6. clearplan itself is installed into it too (the plugin and the macros module run there);
# no `pip check`: clearplan and mkdocs-macros name `mkdocs`, which mkdocs-ng provides under its own name.
GEN_VENV := build/generators-venv
GEN_LOCK := requirements-generators.lock
$(GEN_VENV)/.installed: pyproject.toml $(GEN_LOCK)
	test -x $(GEN_VENV)/bin/python || python3 -m venv $(GEN_VENV)
	$(GEN_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r $(GEN_LOCK)
	$(GEN_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

generators: $(GEN_VENV)/.installed

# requirements-generators.lock from requirements-generators.in, at the versions requirements.lock pins
# where both have a package; `mkdocs` is overridden away (mkdocs-ng is it).
lock-generators:
	test -x $(LOCK_TOOL)/bin/uv || { python3 -m venv $(LOCK_TOOL) && $(LOCK_TOOL)/bin/pip install --quiet 'uv>=0.9,<1'; }
	printf 'mkdocs ; sys_platform == "never"\n' > $(LOCK_TOOL)/generators-overrides.txt
	$(LOCK_TOOL)/bin/uv pip compile requirements-generators.in --override $(LOCK_TOOL)/generators-overrides.txt -c $(LOCK) \
	  --generate-hashes --python-version 3.11 --no-header --quiet $(if $(UPGRADE),--upgrade) -o $(GEN_LOCK)

# The tests against the newest versions pyproject.toml allows, in a venv of their own; prints which
# packages differ from the lock first, so a failure can be traced to a release.
LATEST_VENV := .venv-latest
test-latest: system-deps validators generators
	test -x $(LATEST_VENV)/bin/python || python3 -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	@$(LATEST_VENV)/bin/python .ci/lock_diff.py $(LOCK) $(LATEST_VENV)/bin/python
	PATH=$(CURDIR)/$(LATEST_VENV)/bin:$$PATH $(LATEST_VENV)/bin/python -m pytest -q -p no:cacheprovider

# Debian packages the tests need: chromium for browser tests, poppler-utils for PDF pages, Java and
# npm for the Nu HTML Checker.
SYSTEM_PACKAGES := chromium:chromium pdftoppm:poppler-utils java:default-jre-headless npm:npm
system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The Nu HTML Checker (tests/test_validators.py) at the version and hash tests/validators/package-lock.json
# pins. --ignore-scripts: the package's install script would download a Java; Debian's runs it.
VNU_JAR := tests/validators/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR): tests/validators/package.json tests/validators/package-lock.json
	cd tests/validators && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

validators: system-deps $(VNU_JAR)

serve: install
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

# clearplan checks the plan and prepares every page and download, then runs MkDocs on a staged copy
# (build/stage/mkdocs); GENERATOR=mkdocs-ng or zensical builds with those (README "When Material
# reaches its end of life").
GENERATOR ?= mkdocs
build: install pdf $(if $(filter mkdocs,$(GENERATOR)),,generators)
	$(BIN)/clearplan build --generator $(GENERATOR) $(if $(filter mkdocs,$(GENERATOR)),,--python $(GEN_VENV)/bin/python)

# CHECK_FORMAT=github prints GitHub annotations (used by .github/workflows).
CHECK_FORMAT ?= text
# The print packs (whole plan, Easy Read), printed from the data and templates; remade when they change.
PDF_DIR := build/pdf
PDF_SOURCES := $(shell find data src overrides docs -type f -not -name '*.pyc' 2>/dev/null)
$(PDF_DIR)/plan.pdf: $(VENV)/.installed $(PDF_SOURCES)
	$(BIN)/clearplan pdf --out $(PDF_DIR)

pdf: install system-deps $(PDF_DIR)/plan.pdf

# Publish a version with mike to the gh-pages branch: make publish VERSION=2020-07 [TITLE="July 2020 draft"]
# [PUSH=1] (pushes gh-pages to origin, as the publish workflow does; without it nothing leaves this clone).
publish: install pdf
	@test -n "$(VERSION)" || { echo 'usage: make publish VERSION=2020-07 [TITLE="July 2020 draft"] [PUSH=1]' >&2; exit 2; }
	$(BIN)/mike deploy $(if $(PUSH),--push) --update-aliases $(if $(TITLE),--title "$(TITLE)") "$(VERSION)" latest
	$(BIN)/mike set-default $(if $(PUSH),--push) latest

# The publish workflow's tag: TAG comes from the environment and only the shell reads it (make
# would run a $(...) in it). Only a plain name reaches make publish.
publish-tag:
	@case "$$TAG" in "" | *[!A-Za-z0-9._-]*) echo "::error::a tag published as a version may hold only letters, digits, '.', '_' and '-'"; exit 1 ;; esac
	$(MAKE) publish VERSION="$$TAG" TITLE="$$TAG" PUSH=1

check: install
	$(BIN)/clearplan check --format $(CHECK_FORMAT)
	$(BIN)/clearplan check --data examples/cambridgeshire/data --format $(CHECK_FORMAT)

# Lint and formatting (ruff) and types (mypy), configured in pyproject.toml; `ruff format` fixes the formatting.
lint: install
	$(BIN)/ruff check src macros tests benchmarks .ci
	$(BIN)/ruff format --check src macros tests benchmarks .ci
	$(BIN)/mypy

test: lint install system-deps validators pdf generators
	$(BIN)/clearplan check
	$(BIN)/clearplan check --data examples/cambridgeshire/data
	$(PYTHON) -m pytest --cov=clearplan --cov-report=term-missing:skip-covered --cov-fail-under=90

# Slow, so not part of `make test`: timings and page weights against the budgets in README.md
# (installs npm lighthouse under benchmarks/.node on first run). Exits non-zero when a budget is missed.
bench: install system-deps
	$(PYTHON) benchmarks/bench.py

# Slow, so not part of `make test`: mutation testing of the pure core with mutmut, one worker (the
# modules and the tests it runs are in pyproject.toml's [tool.mutmut]; the score is in README.md).
# mutmut names a mutant by its file's path, and the tests import `clearplan`: it runs on a copy of
# the tree in which src/clearplan/ is clearplan/. Prints the surviving mutants, then the score.
# `make mutation MUTANTS='clearplan.plan.model.*'` tries one module's mutants (names or patterns).
MUTATION_DIR := build/mutation
MUTANTS :=
mutation: install
	rm -rf $(MUTATION_DIR) && mkdir -p $(MUTATION_DIR)
	cp -r src/clearplan $(MUTATION_DIR)/clearplan
	cp -r schema $(MUTATION_DIR)/clearplan/schemas
	cp -r tests data examples schema docs overrides mkdocs.yml pyproject.toml README.md OFFICERS-GUIDE.md $(MUTATION_DIR)/
	find $(MUTATION_DIR) -name __pycache__ -prune -exec rm -rf {} +
	cd $(MUTATION_DIR) && $(BIN)/mutmut run --max-children 1 $(MUTANTS) >run.log 2>&1 || { tail -c 3000 run.log; exit 1; }
	cd $(MUTATION_DIR) && $(BIN)/mutmut results
	cd $(MUTATION_DIR) && $(BIN)/mutmut export-cicd-stats >/dev/null && $(BIN)/python -c 'import json; \
	  s = json.load(open("mutants/mutmut-cicd-stats.json")); killed = s["killed"] + s["timeout"]; \
	  tried = killed + s["survived"] + s["suspicious"] + s["segfault"]; \
	  print("killed %d of %d mutants tried (%.1f%%); survived %d; not reached by any test %d; not tried %d of %d" \
	        % (killed, tried, 100 * killed / max(tried, 1), s["survived"], s["no_tests"], s["total"] - tried - s["no_tests"] - s["skipped"], s["total"]))'

clean:
	rm -rf site .cache examples/cambridgeshire/.cache .pytest_cache .coverage $(LATEST_VENV)
