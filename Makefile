# Clave: `make run` serves the app for development; `make test` runs every test.
# Everything the tests need (system packages, a Python venv with the real SMTP server and the
# browser driver) is installed by `make deps`, which `test` runs first.

SWIFT      ?= swift
HOST       ?= 127.0.0.1
PORT       ?= 8080
DB         ?= var/clave-dev.sqlite
FUZZ_SECONDS ?= 60

.PHONY: all deps deps-build build release run test bench fuzz tsan clean screenshots

all: build

## Install missing system packages (apt, with retries) and the Python test venv (.venv).
deps:
	@bash scripts/deps.sh

## Only what compiling needs (libsqlite3-dev, libssl-dev, pkg-config): enough for `make run`.
deps-build:
	@bash scripts/deps.sh build

build: deps-build
	$(SWIFT) build

release: deps-build
	$(SWIFT) build -c release --product clave

## Serve on 127.0.0.1:8080 with an embedded SQLite file, demo users and the development mailbox.
run: build
	@mkdir -p var
	$(SWIFT) run clave serve --host $(HOST) --port $(PORT) --db $(DB) --resources Resources --mode development

## Every test: Swift Testing units, components and live servers, then the real-browser suite.
test: deps
	@bash scripts/test.sh

## Every page state at 375 and 1366 px, full page, into .build/screenshots/pages/ (README: Accessibility).
screenshots: deps
	$(SWIFT) build --product clave
	SE_OFFLINE=true CLAVE_BIN="$$($(SWIFT) build --show-bin-path)/clave" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/browser/page_screenshots.py

## wrk against a release build, plus the store and mailer figures.
bench: deps
	@bash scripts/bench.sh

## libFuzzer targets, each for FUZZ_SECONDS seconds.
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

## The Swift tests under ThreadSanitizer (separate build folder; stops at the first report).
tsan: deps
	$(SWIFT) build --build-tests --sanitize thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize thread --scratch-path .build-tsan

clean:
	rm -rf .build .build-* var
