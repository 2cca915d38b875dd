# Transfert — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it is missing first (Debian packages), so a fresh machine just works.

SWIFT        ?= swift
# Debian packages the build, the tests and the demo need (tools the tests check artefacts with included).
APT_PACKAGES := libsqlite3-dev zlib1g-dev libdeflate-dev libcurl4-openssl-dev libmariadb-dev mariadb-server mariadb-client postgresql \
                sqlite3 unzip zip python3 time
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Only the tests need these: the headless browser the portal test loads its pages in, and the driver the
# console's browser test (Selenium) steers it with.
TEST_APT_PACKAGES := chromium chromium-driver curl openssl
# Only `make bench` needs these: gnuplot for the time-vs-size plot; wrk (load generator) and nginx (the static
# baseline of the console's row — started by the bench itself on a free loopback port, never the system's service).
BENCH_APT_PACKAGES := gnuplot-nox wrk curl
BIN_RELEASE  := .build/release/transfert
BIN_DEBUG    := .build/debug/transfert

.PHONY: setup setup-test bench-setup build build-debug demo test test-reliability bench clean lint format

# $(call apt-install,PACKAGES): installs those of PACKAGES that are missing (apt-get update only then).
define apt-install
	@missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

## lint: the formatter's check (`swift format lint`, the toolchain's; rules in .swift-format, lines of 120)
lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests

## format: rewrites the sources as `make lint` wants them
format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Tests

## setup: install the missing Debian packages (apt-get update runs once, only if something is missing)
setup:
	$(call apt-install,$(APT_PACKAGES))

## bench-setup: the Debian packages only `make bench` needs, if missing. nginx is installed without its system
## service ever starting (a policy-rc.d for the install only, the unit disabled after): the bench runs its own.
bench-setup:
	$(call apt-install,$(BENCH_APT_PACKAGES))
	@if ! dpkg -s nginx >/dev/null 2>&1; then \
	  echo "Installing: nginx (its service left stopped and disabled)"; made=""; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod 755 /usr/sbin/policy-rc.d && made=1; \
	  fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; status=$$?; \
	  if [ -n "$$made" ]; then $(SUDO) rm -f /usr/sbin/policy-rc.d; fi; \
	  if [ -d /run/systemd/system ]; then $(SUDO) systemctl disable --now nginx >/dev/null 2>&1 || true; fi; \
	  exit $$status; \
	fi

## build: release build of the `transfert` binary
build: setup
	$(SWIFT) build -c release --product transfert

build-debug: setup
	$(SWIFT) build --build-tests

## demo: the main job on the embedded SQLite default, in ./demo (re-runnable: starts clean).
##   BACKEND=mariadb make demo: both hostings on a throwaway MariaDB server; BACKEND=postgres make demo: on a
##   throwaway PostgreSQL cluster (Tests/Tools/throwaway_postgres.sh); either is stopped when the demo ends
demo: build
	@TRANSFERT=$(abspath $(BIN_RELEASE)) bash Samples/demo.sh

## setup-test: headless Chromium and its driver (the portal and console browser tests), the Python SMTP server
## the letter tests deliver to (aiosmtpd), Python's cryptography (an independent check of receipt signatures)
## and Selenium (drives the console's browser test through /usr/bin/chromedriver), from PyPI, if missing
setup-test: setup
	$(call apt-install,$(TEST_APT_PACKAGES))
	@python3 -c 'import selenium' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check selenium \
	  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages selenium
	@python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check aiosmtpd \
	  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages aiosmtpd
	@python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check cryptography \
	  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages cryptography

## test: unit tests and end-to-end tests driving the real binary
test: build-debug setup-test
	TRANSFERT_BIN=$(abspath $(BIN_DEBUG)) $(SWIFT) test --skip-build

## test-reliability: the reliability suite in full (Docs/reliability.md): the CSV fuzzer on a million inputs
##   (`make test` runs 20,000), the ZIP fuzzer and the manifest fuzzer on 100,000 each (`make test` runs 2,000),
##   50 SIGKILL points per command (20 for the MariaDB and PostgreSQL imports; `make test` runs 2 to 4), the hostile bundles,
##   free disk space, disk full, concurrent commands, the SMTP relay's faults and TLS, the portal under 500 slow
##   clients (`make test` runs 60)
test-reliability: build-debug setup-test
	TRANSFERT_BIN=$(abspath $(BIN_DEBUG)) TRANSFERT_FUZZ_COUNT=1000000 TRANSFERT_ZIP_FUZZ_COUNT=100000 TRANSFERT_MANIFEST_FUZZ_COUNT=100000 TRANSFERT_CONSOLE_FUZZ_COUNT=100000 \
	  TRANSFERT_KILL_POINTS=50 TRANSFERT_KILL_POINTS_MARIADB=20 TRANSFERT_KILL_POINTS_POSTGRES=20 TRANSFERT_KILL_POINTS_OUTBOX=50 TRANSFERT_SLOW_CLIENTS=500 \
	  TRANSFERT_RELIABILITY_TABLE=$(abspath .build/reliability-hostile.md) $(SWIFT) test --skip-build \
	  --filter 'ConsoleFuzzTests|CSVFuzzTests|ManifestFuzzTests|ZIPFuzzTests|ZIPReaderTests|DiskSpaceTests|CSVLimitsEndToEndTests|HostileBundleTests|KillTests|DiskFullTests|ConcurrencyTests|ConcurrentWriterTests|SMTPFaultTests|OutboxKillTests|PortalSlowClientTests'
	python3 Tests/Tools/update_reliability.py Docs/reliability.md .build/reliability-hostile.md

## bench: side-by-side benchmarks against sqlite3/gzip/zip (Docs/performance.md).
##   make bench           full run (200, 2,000, 20,000 students; bundles of 10..50); rewrites Docs/performance.md
##   make bench QUICK=1   200 students and bundles of 5 and 10 only, under two minutes
##   BENCH_REPEATS=N      runs per contender (default 5); see python3 bench/run.py --help
bench: build bench-setup
	TRANSFERT=$(abspath $(BIN_RELEASE)) python3 bench/run.py $(if $(filter-out 0,$(QUICK)),--quick,--write-docs)

clean:
	rm -rf .build demo bench/work
