# Mustafid: `make demo` to try it, `make test` to check it. Needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALE := mustafid/locale
MO := $(LOCALE)/ar/LC_MESSAGES/django.mo $(LOCALE)/en/LC_MESSAGES/django.mo
DEMO_ENV := DEBUG=true NOTIFICATION_BACKEND=console

.PHONY: install demo serve test lint format messages check-migrations check-messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed $(MO)

# The catalogues are compiled with Babel, so no GNU gettext is needed to run.
$(LOCALE)/%/LC_MESSAGES/django.mo: $(LOCALE)/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/pybabel compile --input-file=$< --output-file=$@ --locale=$*

# The worker and the scheduler run beside the web server; Ctrl-C stops all three.
demo: install
	$(DEMO_ENV) $(BIN)/mustafid migrate --noinput
	$(DEMO_ENV) $(BIN)/mustafid demo
	trap 'kill 0' INT TERM; \
	$(DEMO_ENV) $(BIN)/mustafid worker & \
	$(DEMO_ENV) $(BIN)/mustafid scheduler & \
	$(DEMO_ENV) $(BIN)/mustafid runserver 127.0.0.1:8000

serve: install
	$(DEMO_ENV) $(BIN)/mustafid runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(DEMO_ENV) DATA_DIR=$$(mktemp -d) $(BIN)/mustafid makemigrations --check --dry-run

# Developers: refresh the catalogues after changing strings (needs GNU gettext).
messages: $(BIN)/.installed
	cd mustafid && $(DEMO_ENV) ../$(BIN)/mustafid makemessages -l ar -l en --no-location --no-obsolete --ignore 'static/*'

# Fails when a string in the code is missing from the catalogues or untranslated.
check-messages: messages
	git diff --quiet --ignore-matching-lines='^"POT-Creation-Date' -- $(LOCALE) \
		|| (git diff -- $(LOCALE) | head -40; echo "Catalogues are out of date: run make messages and translate."; exit 1)

clean:
	rm -rf $(VENV) data .pytest_cache
