# Keyward developer commands. The two a newcomer needs:
#   make run    the API on 127.0.0.1:3000, backed by a local AWS emulator it starts itself
#   make test   every test: unit, integration (against moto), template checks, browser
SHELL := /bin/bash
PYTHON ?= python3
MVN ?= mvn -B -ntp
VENV := .venv

.PHONY: test test-java test-infra bench

test: test-java test-infra

$(VENV)/.installed: local/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements.txt
	touch $@

# Unit tests (Surefire) and integration tests against moto started by the tests themselves (Failsafe).
# KEYWARD_EMULATOR=localstack or floci runs the same integration tests in Docker instead.
test-java: $(VENV)/.installed
	$(MVN) verify -Dkeyward.emulator=$${KEYWARD_EMULATOR:-moto}

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

# The authorizer's in-process cost per check (DynamoDB lookup stubbed): prints numbers, never fails.
bench:
	$(MVN) -q -DskipTests package
	java -cp functions/target/keyward-functions.jar:functions/target/test-classes dev.keyward.bench.VerifyBenchmark
