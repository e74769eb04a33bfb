# Keyward developer commands. The two a newcomer needs:
#   make run    the API on 127.0.0.1:3000, backed by a local AWS emulator it starts itself
#   make test   every test: unit, integration (against moto), template checks, browser
SHELL := /bin/bash
PYTHON ?= python3
MVN ?= mvn -B -ntp
VENV := .venv

# The fast loop, with no Go, Node or Chromium:
#   make check  unit tests, mutation testing of core, and the integration tests that need only moto
.PHONY: test check test-java test-wire test-mutation test-infra run test-browser test-local soak bench bench-cold bench-cold-short bench-local sam-build docs

test: check test-wire test-infra test-browser test-local

$(VENV)/.installed: local/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements.txt
	touch $@

# schemathesis, for the spec conformance test (SpecConformanceIT), beside moto in the same venv.
$(VENV)/.conformance-installed: $(VENV)/.installed local/conformance/requirements.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/conformance/requirements.txt
	touch $@

# toxiproxy-server, which WireFaultsIT puts between the SDK and the emulator: built once from the
# Go module proxy at a pinned version (needs Go), kept in .tools/ (git ignores it).
TOXIPROXY_VERSION := 2.12.0
TOXIPROXY := .tools/toxiproxy-server-$(TOXIPROXY_VERSION)

$(TOXIPROXY):
	@command -v go >/dev/null || { echo "Go (1.23 or later) is needed to build toxiproxy-server for the wire-fault tests" >&2; exit 1; }
	mkdir -p .tools/bin
	GOBIN="$(abspath .tools/bin)" go install github.com/Shopify/toxiproxy/v2/cmd/server@v$(TOXIPROXY_VERSION)
	mv .tools/bin/server $@

# Unit tests (Surefire) and integration tests against moto started by the tests themselves (Failsafe),
# with schemathesis checking infra/openapi.yaml against the local API (local/conformance/); every
# integration test but the wire faults, which need toxiproxy-server (test-wire).
# KEYWARD_EMULATOR=localstack or floci runs the same integration tests in Docker instead.
IT_FLAGS = -Dkeyward.emulator=$${KEYWARD_EMULATOR:-moto} -Dfailsafe.failIfNoSpecifiedTests=false

check: $(VENV)/.installed $(VENV)/.conformance-installed
	$(MVN) verify $(IT_FLAGS) -Dit.test='!WireFaultsIT'
	$(MAKE) --no-print-directory test-mutation

# The wire faults: toxiproxy-server between the SDK and the emulator (WireFaultsIT).
test-wire: $(VENV)/.installed $(TOXIPROXY)
	$(MVN) verify -pl functions -am $(IT_FLAGS) -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
		-Dit.test=WireFaultsIT -Dkeyward.toxiproxy="$(abspath $(TOXIPROXY))"

# Both: what `make test` runs of the Java suites.
test-java: check test-wire

# Mutation testing of core (PIT, the functions module's profile "mutation"), one run: 90 % of all core's
# mutants must be killed by core's unit tests, and every mutant of the classes that decide whether a
# request gets in or what a key may do (functions/pit_access_decisions.py); below either, the build
# fails. Reports: functions/target/pit-reports/core/.
test-mutation:
	$(MVN) -pl functions -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage@core
	$(PYTHON) functions/pit_access_decisions.py functions/target/pit-reports/core/mutations.xml

# The local API's jar and its runtime classpath (local/target/lib), rebuilt when a source changes.
LOCAL_JAR := local/target/keyward-local.jar
JAVA_SOURCES := $(shell find pom.xml invoke/pom.xml invoke/src/main functions/pom.xml functions/src/main local/pom.xml local/src/main -type f 2>/dev/null)

$(LOCAL_JAR): $(JAVA_SOURCES)
	$(MVN) -q package -DskipTests -pl local -am
	touch $@

# Keyward on 127.0.0.1:$(PORT) with moto; PERSIST=1 keeps the data, AWS_ENDPOINT_URL=... uses another emulator.
PORT ?= 3000
run: $(VENV)/.installed $(LOCAL_JAR)
	PORT=$(PORT) PERSIST=$(PERSIST) VENV=$(VENV) local/run.sh

# The admin console in headless Chromium against a local API it starts (see local/browser-test/).
local/browser-test/node_modules/.package-lock.json: local/browser-test/package-lock.json
	cd local/browser-test && npm ci --no-audit --no-fund

test-browser: $(VENV)/.installed $(LOCAL_JAR) local/browser-test/node_modules/.package-lock.json
	cd local/browser-test && npm test

# The emulator's own tests (local/tests: a transaction's cost against table size, PERSIST's restarts),
# then a short soak of make run (local/soak.py: 4 threads, 60 s). `make soak` runs the long one.
test-local: $(VENV)/.installed $(LOCAL_JAR)
	$(VENV)/bin/python -m unittest discover -s local/tests -v
	$(VENV)/bin/python local/soak.py --threads 4 --seconds 60

SOAK_THREADS ?= 8
SOAK_SECONDS ?= 120
soak: $(VENV)/.installed $(LOCAL_JAR)
	$(VENV)/bin/python local/soak.py --threads $(SOAK_THREADS) --seconds $(SOAK_SECONDS) $(SOAK_ARGS)

# make run at scale: the median create on an empty table and beside 10,000 other items, and how long
# PERSIST=1 takes to start with 10,000 keys recorded. Prints numbers, never fails.
bench-local: $(VENV)/.installed $(LOCAL_JAR)
	$(VENV)/bin/python local/bench_scale.py --creates 20 --padding 10000
	$(VENV)/bin/python local/bench_persist.py --keys 10000

# The functions' shaded jar, rebuilt when a source changes.
FUNCTIONS_JAR := functions/target/keyward-functions.jar
FUNCTIONS_SOURCES := $(shell find pom.xml functions/pom.xml functions/src/main -type f 2>/dev/null)

$(FUNCTIONS_JAR): $(FUNCTIONS_SOURCES)
	$(MVN) -q package -DskipTests -pl functions -am
	touch $@

# `sam build` (infra/template.yaml: BuildMethod makefile, CodeUri the repository, built in source)
# calls build-<LogicalId> once per function with ARTIFACTS_DIR set. Maven runs once, for the
# first; the others find the jar up to date. Lambda's Java runtime puts lib/*.jar on the classpath.
build-%Function: $(FUNCTIONS_JAR)
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(FUNCTIONS_JAR) "$(ARTIFACTS_DIR)/lib/"

# Template checks: cfn-lint and checkov on infra/, then infra/tests (policies pinned, and the
# SAM-transformed template deployed to a moto_server the tests start). Own venv: checkov is heavy.
INFRA_VENV := .venv-infra
INFRA_TEMPLATES := infra/template.yaml infra/integration-access.yaml infra/account-admin-access.yaml

$(INFRA_VENV)/.installed: infra/requirements.txt
	$(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/pip install -q --disable-pip-version-check -r infra/requirements.txt
	touch $@

# The SAM CLI has a venv of its own: it pins boto3, cfn-lint and the SAM translator exactly, at
# versions that checkov and moto cannot share.
SAM_VENV := .venv-sam
SAM := AWS_DEFAULT_REGION=us-east-1 SAM_CLI_TELEMETRY=0 ../$(SAM_VENV)/bin/sam

$(SAM_VENV)/.installed: infra/sam-requirements.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q --disable-pip-version-check -r infra/sam-requirements.txt
	touch $@

# The policy evaluator of infra/tests/test_policies.py (npm).
infra/tests/iam/node_modules/.package-lock.json: infra/tests/iam/package-lock.json
	cd infra/tests/iam && npm ci --no-audit --no-fund

# What a SAM user runs first: sam validate --lint, then sam build (into infra/.aws-sam/build),
# and the routes and functions sam local start-api / invoke would serve from it.
sam-build: $(SAM_VENV)/.installed
	cd infra && $(SAM) validate --lint
	cd infra && $(SAM) build
	cd infra && AWS_DEFAULT_REGION=us-east-1 ../$(SAM_VENV)/bin/python tests/sam_local_routes.py

test-infra: $(INFRA_VENV)/.installed infra/tests/iam/node_modules/.package-lock.json sam-build
	AWS_DEFAULT_REGION=us-east-1 $(INFRA_VENV)/bin/cfn-lint $(INFRA_TEMPLATES)
	$(INFRA_VENV)/bin/checkov --quiet --compact --skip-download -d infra
	cd infra && ../$(INFRA_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

# The authorizer's in-process cost per check (its DynamoDB lookup answered from memory), and each handler's warm
# overhead with its AWS calls answered from memory (dev.keyward.memory), under Lambda's JVM flags (bench/): prints
# numbers, asserts none; fails only when a handler does not answer as the measured path does.
bench:
	$(MVN) -q -DskipTests package -pl bench -am
	java -cp $(FUNCTIONS_JAR):bench/target/classes dev.keyward.bench.VerifyBenchmark
	java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $(FUNCTIONS_JAR):bench/target/classes \
		dev.keyward.bench.HandlerOverheadBenchmark

# Cold starts as Lambda runs them (Runtime Interface Emulator + Java Runtime Interface Client, a fresh JVM per
# invocation), Keyward next to baselines, on Java 17 and Temurin 25: see docs/performance.md. ROUNDS=15 by default.
bench-cold:
	bench/cold-start.sh

# The same run in its short mode, which CI runs so that it cannot break unseen: one round, Java 17 only.
# Its figures are printed, never asserted; a case that cannot start fails it.
bench-cold-short:
	ROUNDS=1 JAVAS="$$(readlink -f "$$(command -v java)")" bench/cold-start.sh

# Rewrites docs/api.md's error table from infra/openapi.yaml (x-keyward-errors) and docs/deploy.md's table of
# what each function may do from infra/tests/function_access.py; make test checks both.
docs: $(INFRA_VENV)/.installed
	cd infra && ../$(INFRA_VENV)/bin/python tests/test_docs.py --write
