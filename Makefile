# Adref. The README's two commands are `make run` and `make test`; the rest are their parts.
# The interpreter .venv is made with: the system's python3 when it is 3.11 or newer, else the
# first python3 on the PATH. A sync push is mostly Python's own work, and the distribution's
# interpreter, built with profile-guided and link-time optimisation, took in a tenth to a fifth
# more pushes a second than a build made without them (pyenv's, by default): bench/README.md.
# (It must also make a venv: Debian's needs its python3-venv package for that.)
PYTHON ?= $(shell for candidate in /usr/bin/python3 python3; do \
  $$candidate -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
  2>/dev/null && { echo $$candidate; exit; }; done; echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
FLASK := $(BIN)/flask --app wsgi
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -n 2

.PHONY: run test install translations extract-messages lint bench db-upgrade seed-demo clean \
	npm-test-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalls only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

install: $(VENV)/.installed

# Compiles the Welsh and English catalogs (.mo files are built, never committed).
translations: install
	$(BIN)/pybabel compile -d translations --statistics

# For developers after changing a person-facing string: refresh messages.pot and both catalogs.
extract-messages: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -k t -k tn:1,2 \
	  --sort-output --project=Adref -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
	  --ignore-obsolete --no-fuzzy-matching
	$(FLASK) export-catalogs

db-upgrade: install translations
	$(FLASK) db upgrade

seed-demo: db-upgrade
	$(FLASK) seed-demo

# Served over plain HTTP on this computer, so the cookies cannot be Secure (HTTPS only) here;
# outside tests and debug mode they are unless ADREF_SESSION_COOKIE_SECURE=false.
ADREF_SESSION_COOKIE_SECURE ?= false
run: seed-demo
	@echo "Adref is serving on http://127.0.0.1:$(PORT)/ (sign in with a demo account above)"
	@test "$(ADREF_SESSION_COOKIE_SECURE)" != false || echo "Session cookies are not Secure" \
	  "(ADREF_SESSION_COOKIE_SECURE=false): fit only for plain HTTP on this computer, never a server"
	ADREF_SESSION_COOKIE_SECURE=$(ADREF_SESSION_COOKIE_SECURE) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Test tools from the npm registry, installed here and never committed: the hunspell Welsh
# dictionary for the spell check, and axe-core for the accessibility checks. (Each npm prefix
# holds one set of tools: `npm install --no-save` removes whatever else it finds there.)
NPM_TEST := .cache/npm/node_modules
npm-test-tools:
	@test -f $(NPM_TEST)/dictionary-cy/index.dic -a -f $(NPM_TEST)/axe-core/axe.min.js || { \
	  mkdir -p .cache/npm && npm install --silent --no-save --no-audit --no-fund \
	    --prefix .cache/npm dictionary-cy@^2.0.0 axe-core@^4.10.0; }

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The whole suite on SQLite, then again on PostgreSQL when a server answers. In CI an
# unreachable PostgreSQL fails the run instead of skipping it.
test: install translations npm-test-tools $(CHROMIUM)
	$(BIN)/ruff check .
	$(PYTEST) -q
	@if $(BIN)/python -m tests.postgres_probe "$(PG_TEST_URL)"; then \
	  echo "== The suite again, on PostgreSQL =="; \
	  ADREF_TEST_DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) -q; \
	elif [ "$$CI" = "true" ]; then \
	  echo "FAIL: PostgreSQL is not reachable at $(PG_TEST_URL), and CI needs it." >&2; exit 1; \
	else \
	  echo ""; echo "!!! SKIPPED: the PostgreSQL run (no server at $(PG_TEST_URL)) !!!"; echo ""; \
	fi

lint: install
	$(BIN)/ruff check .

# Each benchmark prints ratios measured in one run; see bench/README.md.
bench: install $(CHROMIUM)
	@test -x .cache/npm-lighthouse/node_modules/.bin/lighthouse || { mkdir -p .cache/npm-lighthouse \
	  && npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm-lighthouse \
	    lighthouse@^12; }
	$(BIN)/python -m bench.sync_ingest
	$(BIN)/python -m bench.sync_pull
	$(BIN)/python -m bench.pwa_budget
	$(BIN)/python -m bench.tablet_scale
	$(BIN)/python -m bench.review_pages
	$(BIN)/python -m bench.board_scale
	$(BIN)/python -m bench.report
	$(BIN)/python -m bench.lighthouse

# Removes what the build made. Never instance/: it holds the database and the secret key.
clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo
