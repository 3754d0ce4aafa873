# PolicyKB: `make run` serves the site with its worker, `make test` runs the suite.
# Both set everything up first and are quick on a second run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
BROWSER_STAMP := var/.browser-deps

export PYTHONUNBUFFERED := 1

.PHONY: run test setup install migrate data static translations browser-deps lint format bench clean ci backup restore

run: setup  ## serve http://127.0.0.1:$${PORT:-8000} with the django-q2 worker (Ctrl-C stops both)
	$(PY) manage.py serve

test: install translations static browser-deps  ## the whole test suite, on a fresh test database
	$(BIN)/pytest $(PYTEST_ARGS)

setup: install migrate data translations static

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

data: migrate  ## agencies, tags, glossary and the seed notices (idempotent)
	$(PY) manage.py load_reference_data

translations: install
	$(PY) manage.py compiletranslations

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Page tests drive Debian's Chromium (without CJK fonts Chinese renders as boxes), run
# axe-core in it and check the HTML with the Nu Html Checker (vnu.jar, which needs Java);
# both checkers come from npm at the versions in package-lock.json.
browser-deps: $(BROWSER_STAMP) node_modules/.installed

$(BROWSER_STAMP):
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v java >/dev/null; then \
		echo "installing chromium, fonts-noto-cjk and a Java runtime (once)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk default-jre-headless >/dev/null; \
	fi
	mkdir -p var && touch $(BROWSER_STAMP)

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null)
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

backup: install  ## pg_dump archive of the database into var/backups/ (or FILE=…)
	$(PY) manage.py backup $(FILE)

restore: install  ## replace the database's contents with a backup: make restore FILE=var/backups/….dump
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/backup.dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 POLICYKB_HTTPS=1 SECRET_KEY=ci-check-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
		$(PY) manage.py check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install  ## extract UI strings into locale/zh_Hans (needs GNU gettext's xgettext)
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*'

bench: setup
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/load_bench.py
	$(PY) bench/synth_bench.py
	$(PY) bench/pipeline_bench.py
	$(PY) bench/ingest_bench.py
	$(PY) bench/search_bench.py

clean:
	rm -rf $(VENV) var/staticfiles node_modules
