# Bakesbangpol: `make run` (embedded default, SQLite in sites/default/) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/bakesbangpol
MARIADB_URL ?= mysql://root@127.0.0.1:3306/bakesbangpol

.PHONY: run test ci bench bench-quick bench-ci lint format setup deps-dev deps-db system-packages services clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.deps $@

# collectstatic (compressing every file: the slowest step) runs only when its
# inputs changed (the installed packages, our static files, the settings), and
# meanwhile setup_site (which migrates first) runs beside it on the other core.
SITE_DIR ?= sites/default
STATIC_STAMP := $(SITE_DIR)/static/.collected
STATIC_INPUTS := $(VENV)/.deps config/settings.py $(shell find apps templates -path '*/static/*' -type f 2>/dev/null)

$(STATIC_STAMP): $(STATIC_INPUTS)
	$(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

setup: $(VENV)/.deps
	@echo "  Menyiapkan basis data: migrasi, data referensi dan dokumen contoh (pertama kali sekitar setengah menit)..."
	@$(MAKE) --no-print-directory $(STATIC_STAMP) & static=$$!; \
	$(BIN)/python manage.py setup_site --demo; rc=$$?; \
	wait $$static || rc=1; exit $$rc

run: setup
	@echo ""
	@echo "  Bakesbangpol berjalan di http://$(HOST):$(PORT)/app/"
	@echo "  Masuk dengan akun demo, mis. kaban / demo12345 atau admin / demo12345 (lihat README)."
	@echo ""
	@echo "  Pekerja latar dan penjadwal berjalan di samping gunicorn (Ctrl+C menghentikan semuanya)."
	@echo ""
	@trap 'kill $$worker $$scheduler $$server 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/python manage.py docflow_worker & worker=$$!; \
	$(BIN)/python manage.py docflow_scheduler & scheduler=$$!; \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --config config/deploy/gunicorn.conf.py & server=$$!; \
	wait $$server

# pytest-xdist workers (TEST_WORKERS=0: one process). Each worker builds its
# own test database (SQLite file in its own site dir; PostgreSQL/MariaDB names
# get a _gwN suffix).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS)

test: $(VENV)/.deps-dev
	$(PYTEST)

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.deps-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver libmariadb-dev pkg-config poppler-utils >/dev/null; \
	fi

deps-db: $(VENV)/.deps-dev
	$(BIN)/pip install --quiet -r requirements-db.txt

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@mysqladmin -h 127.0.0.1 -u root ping >/dev/null 2>&1 || (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd && sleep 5)
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && mysqladmin -h 127.0.0.1 -u root ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "database services did not start"; exit 1

# Every stage runs and prints its wall time (.ci/stage); `make ci` fails if any
# stage failed. PostgreSQL and MariaDB run only the tests marked `engine` (their
# result can depend on the database); pytest's exit 5 (nothing selected) fails.
ENGINE_TESTS := -m "engine and not browser"
ci:
	@summary=$$(mktemp); export CI_SUMMARY=$$summary; rc=0; start=$$(date +%s); \
	.ci/stage "system packages" $(MAKE) --no-print-directory system-packages || rc=1; \
	.ci/stage "dependencies" $(MAKE) --no-print-directory deps-db || rc=1; \
	.ci/stage "database services" $(MAKE) --no-print-directory services || rc=1; \
	.ci/stage "ruff" sh -c '$(BIN)/ruff check . && $(BIN)/ruff format --check .' || rc=1; \
	.ci/stage "SQLite: whole suite with browser tests" $(PYTEST) || rc=1; \
	.ci/stage "PostgreSQL: engine tests" env DATABASE_URL=$(PG_URL) $(PYTEST) $(ENGINE_TESTS) || rc=1; \
	.ci/stage "MariaDB: engine tests" env DATABASE_URL=$(MARIADB_URL) $(PYTEST) $(ENGINE_TESTS) || rc=1; \
	echo "== CI stages (seconds) =="; cat $$summary; rm -f $$summary; \
	echo "== CI total: $$(($$(date +%s) - start)) s, $$([ $$rc -eq 0 ] && echo ok || echo FAILED) =="; \
	exit $$rc

# Speed goals live here, not in timed tests: bench/suite.py prints one line per
# goal (figure, anchor measured in the same run, ratio, goal, ok/short) and
# "K/N goals met". `make bench`: 100,000 SKT rows, the pending report at
# BENCH_DOCS (1,000,000) documents, also on PostgreSQL. `make bench-quick`:
# 10,000 rows, under 10 minutes. Never run in CI.
BENCH_DOCS ?= 1000000
bench: $(VENV)/.deps-dev services
	$(BIN)/python bench/suite.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench $(BIN)/python bench/pending_report.py --docs $(BENCH_DOCS)

bench-quick: $(VENV)/.deps-dev
	$(BIN)/python bench/suite.py --quick

# `.ci/run` in a scratch clone with twice today's processes (copies of the
# processes defined as data); goal: under 35 minutes.
bench-ci: $(VENV)/.deps-dev
	$(BIN)/python bench/double_processes.py

clean:
	rm -rf $(VENV) sites/default
