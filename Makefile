# Targets a newcomer can guess. `make run` starts the service, `make test` runs
# every test; both install what they need first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

# What `make run` suggests for a first staff account, runnable as printed from the
# checkout (tests/integration/package/test_commands.py runs it; the README shows it).
STAFF_HINT := QUOTE_ENV=development $(BIN)/flask --app wsgi users add anna@example.com --role sales --name 'Anna Berg'

# gettext domains and the sources each is extracted from
DOMAINS    := core mail pdf web
SRC_core   := quote/core quote/lifecycle quote/store
SRC_pdf    := quote/pdf templates/pdf
SRC_mail   := quote/mail templates/mail
SRC_web    := quote/web templates/web
LANGS      := de ru en

.PHONY: install system run test lint format bench wheel translations translations-extract \
        translations-update clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

## system packages the tests use (Chromium, PostgreSQL, HarfBuzz subsetting, poppler)
system:
	scripts/install-system-packages

run: install
	@echo "quote: starting in development mode; open http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	@echo "quote: to add a staff account (roles: sales, finance, admin; the password is asked twice):"
	@echo "  $(STAFF_HINT)"
	QUOTE_ENV=development $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: system install
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .

## every benchmark in bench/: core, web, startup, pdf, store, load, guard, renewals (docs/bench.md)
bench: install
	$(BIN)/python -m bench

## the wheel that production installs (docs/deploy.md), in dist/
wheel: $(STAMP)
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

## print a variable as make sees it: make print-STAFF_HINT
print-%:
	@:$(info $($*))

## compile the catalogues (.po -> .mo)
translations: $(STAMP)
	@for d in $(DOMAINS); do \
	  if ls quote/translations/*/LC_MESSAGES/$$d.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel -q compile --use-fuzzy -d quote/translations -D $$d || exit 1; \
	  fi; \
	done

## extract the texts of every domain into quote/translations/<domain>.pot
translations-extract: $(STAMP)
	@for d in $(DOMAINS); do \
	  src=""; case $$d in core) src="$(SRC_core)";; mail) src="$(SRC_mail)";; pdf) src="$(SRC_pdf)";; web) src="$(SRC_web)";; esac; \
	  existing=""; for s in $$src; do [ -e $$s ] && existing="$$existing $$s"; done; \
	  [ -n "$$existing" ] || continue; \
	  $(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _l -k lazy_gettext \
	    --no-location --sort-output --omit-header -o quote/translations/$$d.pot $$existing || exit 1; \
	done

## merge new texts into every language's catalogue (creating missing ones)
translations-update: translations-extract
	@for d in $(DOMAINS); do \
	  [ -f quote/translations/$$d.pot ] || continue; \
	  for l in $(LANGS); do \
	    if [ -f quote/translations/$$l/LC_MESSAGES/$$d.po ]; then \
	      $(BIN)/pybabel -q update --no-fuzzy-matching -i quote/translations/$$d.pot \
	        -d quote/translations -D $$d -l $$l; \
	    else \
	      $(BIN)/pybabel -q init -i quote/translations/$$d.pot -d quote/translations -D $$d -l $$l; \
	    fi; \
	  done; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist
