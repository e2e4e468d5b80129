"""Logs never carry children's words: the libraries that log whole updates stay at INFO."""

from __future__ import annotations

import logging

import pytest

from bot.cli import LIBRARY_LOGGERS, QUIET_LOGGERS, configure_logging


@pytest.fixture
def restored_levels():
    """configure_logging changes process-wide loggers: put them back for the next test."""
    names = ("", "bot", "telegram.ext.Updater", *LIBRARY_LOGGERS, *QUIET_LOGGERS)
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_at_debug_the_bots_code_is_verbose_but_telegram_and_http_stay_at_info(restored_levels):
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    logging.getLogger().setLevel(logging.DEBUG)  # as LOG_LEVEL=DEBUG makes it at start
    configure_logging("DEBUG")
    assert logging.getLogger("bot.services.family.relay_in").isEnabledFor(logging.DEBUG)
    for name in ("telegram", "telegram.ext.Updater", "telegram.Bot", "httpx", "httpcore"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    assert logging.getLogger("apscheduler.scheduler").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("telegram").isEnabledFor(logging.INFO)  # its warnings still show


def test_a_quieter_level_is_kept(restored_levels):
    logging.getLogger().setLevel(logging.WARNING)
    configure_logging("WARNING")
    assert not logging.getLogger("telegram").isEnabledFor(logging.INFO)
