# Keyward developer commands. The two a newcomer needs:
#   make run    the API on 127.0.0.1:3000, backed by a local AWS emulator it starts itself
#   make test   every test: unit, integration (against moto), template checks, browser
SHELL := /bin/bash
PYTHON ?= python3
MVN ?= mvn -B -ntp
VENV := .venv

.PHONY: test test-java test-infra run test-browser bench bench-cold

test: test-java test-infra test-browser

$(VENV)/.installed: local/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements.txt
	touch $@

# Unit tests (Surefire) and integration tests against moto started by the tests themselves (Failsafe).
# KEYWARD_EMULATOR=localstack or floci runs the same integration tests in Docker instead.
test-java: $(VENV)/.installed
	$(MVN) verify -Dkeyward.emulator=$${KEYWARD_EMULATOR:-moto}

# The local API's jar and its runtime classpath (local/target/lib), rebuilt when a source changes.
LOCAL_JAR := local/target/keyward-local.jar
JAVA_SOURCES := $(shell find pom.xml functions/pom.xml functions/src/main local/pom.xml local/src/main -type f 2>/dev/null)

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

# Template checks: cfn-lint and checkov on infra/, then infra/tests (policies pinned, and the
# SAM-transformed template deployed to a moto_server the tests start). Own venv: checkov is heavy.
INFRA_VENV := .venv-infra
INFRA_TEMPLATES := infra/template.yaml infra/integration-access.yaml infra/account-admin-access.yaml

$(INFRA_VENV)/.installed: infra/requirements.txt
	$(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/pip install -q --disable-pip-version-check -r infra/requirements.txt
	touch $@

test-infra: $(INFRA_VENV)/.installed
	AWS_DEFAULT_REGION=us-east-1 $(INFRA_VENV)/bin/cfn-lint $(INFRA_TEMPLATES)
	$(INFRA_VENV)/bin/checkov --quiet --compact --skip-download -d infra
	cd infra && ../$(INFRA_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

# The authorizer's in-process cost per check (DynamoDB lookup stubbed), and each handler's warm overhead with its
# AWS calls answered from memory, under Lambda's JVM flags: prints numbers, never fails.
bench:
	$(MVN) -q -DskipTests package
	java -cp functions/target/keyward-functions.jar:functions/target/test-classes dev.keyward.bench.VerifyBenchmark
	java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp functions/target/keyward-functions.jar:functions/target/test-classes \
		dev.keyward.bench.HandlerOverheadBenchmark

# Cold starts as Lambda runs them (Runtime Interface Emulator + Java Runtime Interface Client, a fresh JVM per
# invocation), Keyward next to baselines, on Java 17 and Temurin 25: see docs/performance.md. ROUNDS=15 by default.
bench-cold:
	bench/cold-start.sh
