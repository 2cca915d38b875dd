# Transfert — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it is missing first (Debian packages), so a fresh machine just works.

SWIFT        ?= swift
# Debian packages the build, the tests and the demo need (tools the tests check artefacts with included).
APT_PACKAGES := libsqlite3-dev zlib1g-dev sqlite3 unzip zip python3
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_RELEASE  := .build/release/transfert
BIN_DEBUG    := .build/debug/transfert

.PHONY: setup build build-debug demo test bench clean

## setup: install the missing Debian packages (apt-get update runs once, only if something is missing)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: release build of the `transfert` binary
build: setup
	$(SWIFT) build -c release --product transfert

build-debug: setup
	$(SWIFT) build --build-tests

## demo: the main job on the embedded SQLite default, in ./demo (re-runnable: starts clean)
demo: build
	@TRANSFERT=$(abspath $(BIN_RELEASE)) bash Samples/demo.sh

## test: unit tests and end-to-end tests driving the real binary
test: build-debug
	TRANSFERT_BIN=$(abspath $(BIN_DEBUG)) $(SWIFT) test --skip-build

## bench: side-by-side benchmarks (filled in by the benchmark issue)
bench: build
	@echo "No benchmarks yet."

clean:
	rm -rf .build demo
