# Keyward developer commands. The two a newcomer needs:
#   make run    the API on 127.0.0.1:3000, backed by a local AWS emulator it starts itself
#   make test   every test: unit, integration (against moto), template checks, browser
SHELL := /bin/bash
PYTHON ?= python3
MVN ?= mvn -B -ntp
VENV := .venv

.PHONY: test test-java

test: test-java

$(VENV)/.installed: local/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements.txt
	touch $@

# Unit tests (Surefire) and integration tests against moto started by the tests themselves (Failsafe).
# KEYWARD_EMULATOR=localstack or floci runs the same integration tests in Docker instead.
test-java: $(VENV)/.installed
	$(MVN) verify -Dkeyward.emulator=$${KEYWARD_EMULATOR:-moto}
