# BUS-portalen. `make demo` runs the portal with the demo county; `make test` runs every test.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python
DEMO_ENV := DEMO_MODE=true DEBUG=false SECRET_KEY=demo-only-not-for-production

APPS := agreements sip deviations followup

.PHONY: xmlsec demo test sync uv messages lint types format bench

# The SAML tests (tests/eid) need xmlsec1: installed here when we are root with apt, else skipped.
xmlsec:
	@command -v xmlsec1 >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y xmlsec1 >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y xmlsec1 >/dev/null 2>&1)); } || true
	@command -v xmlsec1 >/dev/null 2>&1 || echo "xmlsec1 is missing (not root, or no apt): the SAML tests in tests/eid are skipped."

uv:
	@command -v uv >/dev/null 2>&1 || test -x "$(HOME)/.local/bin/uv" || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

sync: uv
	@$$(command -v uv || echo "$(HOME)/.local/bin/uv") sync --locked --quiet

demo: sync
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv --verbosity 0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo ""
	@echo "BUS-portalen körs på http://127.0.0.1:8000 (avsluta med Ctrl+C)"
	@echo "Skickad e-post: logga in som admin och öppna http://127.0.0.1:8000/utskick/ (och i terminalen)"
	$(DEMO_ENV) $(PY) manage.py db_worker --reload & \
	  (while true; do $(DEMO_ENV) $(PY) manage.py run_daily >/dev/null 2>&1; sleep 3600; done) & \
	  trap 'kill %1 %2 2>/dev/null' EXIT; \
	  $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: sync xmlsec
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --verbosity 0
	$(PY) -m pytest -n 2

# The project catalogue (locale/) holds bus_portal and templates/; each app keeps its own.
messages: sync
	DEBUG=true $(PY) manage.py makemessages -l sv --no-wrap --no-obsolete --ignore=.venv --ignore=staticfiles \
	  --ignore=tests --ignore=bench $(foreach app,$(APPS),--ignore=$(app))
	for app in $(APPS); do (cd $$app && DEBUG=true ../$(PY) ../manage.py makemessages -l sv --no-wrap --no-obsolete); done
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

lint: sync
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

types: sync
	DEBUG=true .venv/bin/mypy

format: sync
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Benchmark on PostgreSQL at national scale (BENCH_SCALE=county for a quick run); see docs/performance.md.
bench: sync
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --verbosity 0
	$(PY) bench/run.py
