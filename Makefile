# The two commands a newcomer needs:
#   make run   - set up .venv and start the app on its bundled data
#   make test  - set up .venv with the test tools and run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test test-fast bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files re-run pip only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	$(PY) -m runtime.serve --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m pytest

# Everything but the real-browser tests: the quick loop while editing.
test-fast: $(VENV)/.dev-installed
	$(PY) -m pytest -m "not browser"

bench: $(VENV)/.dev-installed
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) artifacts .pytest_cache .hypothesis
