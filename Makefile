# The README's two commands: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint setup messages clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# axe-core for the accessibility tests, from the npm registry (skipped without npm).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.runtime

## Serve the app with demo data on SQLite at http://$(HOST)
# Links in the demo's notification mails, and in the server's, lead to the address served.
run: export EDITORIAL_BASE_URL := $(or $(EDITORIAL_BASE_URL),http://$(HOST))
run: $(VENV)/.runtime
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Starting the development server at $(EDITORIAL_BASE_URL)/ (ready when it says \"Quit the server\"; stop it with Ctrl+C)."
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## The production settings on this machine: gunicorn (deploy/gunicorn.conf.py) and the mail
## worker (manage.py worker, started again whenever it stops), DEBUG off, collected static files, at http://$(HOST). DATABASE_URL, SECRET_KEY and the rest come from
## the environment as in production; without them, SQLite and a key kept in .secret_key.
serve: $(VENV)/.runtime
	@test -s .secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	SECRET_KEY=$${SECRET_KEY:-$$(cat .secret_key)} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	  SECURE_COOKIES=$${SECURE_COOKIES:-0} sh -c '\
	  $(BIN)/python manage.py migrate --no-input && \
	  $(BIN)/python manage.py collectstatic --no-input -v0 && \
	  { while :; do $(BIN)/python manage.py worker --interval 2; echo "The task worker stopped: starting it again." >&2; sleep 2; done & \
	    worker=$$!; trap "pkill -P $$worker; kill $$worker" EXIT INT TERM; } && \
	  GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST)} $(BIN)/gunicorn -c deploy/gunicorn.conf.py editorial.wsgi'

## The whole test suite (set DATABASE_URL to run it on PostgreSQL)
test: $(VENV)/.dev $(if $(shell command -v npm),$(AXE))
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Refresh the message catalogues after changing translatable text
messages: $(VENV)/.dev
	DEBUG=1 $(BIN)/python manage.py makemessages -l ja -l en --ignore=.venv --ignore=tests
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
