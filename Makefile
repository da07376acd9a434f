# One command per task, the same locally and in CI.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run ingest serve chat test test-fast lint eval bench browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## run: install, ingest knowledge/ and serve the API and widget at http://$(HOST):$(PORT)/
run: ingest serve

## ingest: incremental; exit 1 (a file failed) still leaves a usable index
ingest: install
	$(BIN)/mipyme-ia ingest || [ $$? -eq 1 ]

serve: install
	$(BIN)/mipyme-ia serve --host $(HOST) --port $(PORT)

chat: install
	$(BIN)/mipyme-ia chat

## test: the whole suite (browser tests need Debian's chromium: `make browser-deps`)
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

## test-fast: under 30 s; slow and browser tests are marked and left out
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser and not slow"

## lint: ruff rules, ruff formatting and mypy (strict on assistant, api and ingest)
lint: install
	$(BIN)/ruff check assistant api ingest tests bench
	$(BIN)/ruff format --check assistant api ingest tests bench
	$(BIN)/mypy

eval: install
	$(BIN)/mipyme-ia eval

bench: install
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.chat
	$(BIN)/python -m bench.http
	$(BIN)/python -m bench.whatsapp_ack

browser-deps:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
