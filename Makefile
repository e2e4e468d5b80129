# The two commands a newcomer needs: `make run` and `make test`. Both build their own virtualenv
# from pyproject.toml first, so a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# PostgreSQL storage tests run when this server answers (CI requires it to); SQLite always runs.
TONGBAN_TEST_POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
export TONGBAN_TEST_POSTGRES_URL

.PHONY: setup run test lint bench i18n i18n-check emulator

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/python -m bot run

# Two workers: most end-to-end time is waiting on Telegram's per-chat pace, not CPU. Tests
# that assert wall-clock latencies (marked `timing`) then run alone, with no worker beside them.
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 -m "not timing"
	$(BIN)/pytest -m timing

lint: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# All four benches, each printing its figures: the round (minutes), taps, alert latency during a
# 10,000-child round (minutes), and detection offline: the detector's single original world
# (about 15 s) and silence on one seed of 200 children a group (about 20 s; defaults: 500 x 2).
bench: setup
	$(BIN)/python bench/checkin_round.py
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/alert_latency.py
	$(BIN)/python bench/detector.py
	$(BIN)/python bench/silence.py --children 200 --seed 1

emulator: setup
	$(BIN)/python -m bot.emulator --port 8081

# Re-extract texts from dialogs/ and update both catalogs (then translate what is new).
i18n: setup
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --project Tongban -o locale/messages.pot .
	$(BIN)/pybabel update -i locale/messages.pot -d locale --no-fuzzy-matching --ignore-obsolete
