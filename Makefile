# Qirtas — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ARCHIVE ?= .demo-archive
LOCALES := i18n/locale

.PHONY: run test typecheck lint catalogs extract-messages update-catalogs demo clean lock bundle bundle-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installed with the lock (constraints.txt: the versions the suite passed on); `make lock` refreshes it.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

lock:
	$(PYTHON) packaging/lock.py constraints.txt

# A one-folder application in dist/qirtas/ (PyInstaller, packaging/qirtas.spec) from Qirtas installed as
# the wheel would be into build/bundle/site: fonts, compiled catalogs, seeds, icon and PySide6-Pdf inside.
BUNDLE_SITE := build/bundle/site
bundle: catalogs
	@$(BIN)/pyinstaller --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bundle]'
	rm -rf $(BUNDLE_SITE)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --target $(BUNDLE_SITE) .
	QIRTAS_BUNDLE_SITE=$(abspath $(BUNDLE_SITE)) $(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/qirtas.spec

# --version, demo, a PDF imported through the worker pool, an Arabic search, the Arabic window under Xvfb.
bundle-test:
	$(BIN)/python packaging/smoke_test.py dist/qirtas/qirtas

catalogs: $(STAMP)
	@if ls $(LOCALES)/*/LC_MESSAGES/qirtas.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -D qirtas -d $(LOCALES); fi

extract-messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 -c TRANSLATORS: --no-location \
		--sort-output --project Qirtas -o $(LOCALES)/qirtas.pot archive importers i18n desktop cli

update-catalogs: extract-messages
	$(BIN)/pybabel -q update -D qirtas -i $(LOCALES)/qirtas.pot -d $(LOCALES) --no-fuzzy-matching \
		--ignore-obsolete --ignore-pot-creation-date

demo: catalogs
	$(BIN)/qirtas --archive $(DEMO_ARCHIVE) demo --if-absent

run: demo
	$(BIN)/qirtas --archive $(DEMO_ARCHIVE) gui

test: catalogs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/typecheck.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# mypy on archive/, importers/, i18n/, cli/ and qirtas/*.py (desktop/ is not checked yet).
typecheck: $(STAMP)
	$(BIN)/python tools/typecheck.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The demo archive is deleted only when `qirtas demo --check-clean` finds nothing in it that did not come
# from the seeds: `make run` opens it and remembers it, so people import into it. Checked before the venv
# (and with it qirtas) is removed; without qirtas it is kept.
clean:
	@if [ -e "$(DEMO_ARCHIVE)" ]; then \
		if [ -x "$(BIN)/qirtas" ] && "$(BIN)/qirtas" --archive "$(DEMO_ARCHIVE)" demo --check-clean >/dev/null; then \
			echo "rm -rf $(DEMO_ARCHIVE)"; rm -rf "$(DEMO_ARCHIVE)"; \
		else \
			echo "make clean: kept $(DEMO_ARCHIVE), which could not be checked or holds work of your own; delete it yourself if you mean to."; \
		fi; \
	fi
	rm -rf $(VENV) .pytest_cache .ruff_cache
