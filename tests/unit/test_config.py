"""Settings: defaults, and one clear line naming any bad setting."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings


def test_defaults_suit_a_county_station(monkeypatch):
    for name in ("BOT_TOKEN", "TIMEZONE", "DATABASE_URL", "DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.timezone == "Asia/Shanghai" and settings.default_locale == "zh_CN"
    assert settings.database_url.startswith("sqlite+aiosqlite:///./data/")
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LOCALE", "fr"),
        ("CHECKIN_SCHEDULE", "someday"),
        ("QUIET_HOURS", "daily 25:00-07:00"),
        ("CHECKIN_WINDOW_HOURS", "-1"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("LOG_LEVEL", "verbose"),
        ("DATABASE_URL", "mysql://localhost/tongban"),
        ("TELEGRAM_PROXY", "127.0.0.1:7890"),
    ],
)
def test_bad_setting_is_named_in_one_line(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message


def test_log_level_is_case_insensitive(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert load_settings(_env_file=None).log_level == "DEBUG"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgres_url_names_the_driver_and_hides_the_password(monkeypatch, scheme):
    monkeypatch.setenv("DATABASE_URL", f"{scheme}://tongban:s3cret@db/tongban")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert message.startswith("DATABASE_URL") and "postgresql+asyncpg://" in message
    assert "[postgres]" in message and "s3cret" not in message


def test_postgres_without_asyncpg_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "asyncpg" else real(name, *a)
    )
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://tongban@db/tongban")
    with pytest.raises(ConfigError, match=r"^DATABASE_URL .*pip install -e '\.\[postgres\]'"):
        load_settings(_env_file=None)


@pytest.mark.parametrize(
    ("school", "quiet"),
    [("", "daily 00:00-00:00"), ("daily 07:00-21:00", "daily 21:00-07:00")],
)
def test_blocked_times_must_leave_time_free(monkeypatch, school, quiet):
    monkeypatch.setenv("SCHOOL_HOURS", school)
    monkeypatch.setenv("QUIET_HOURS", quiet)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert "SCHOOL_HOURS and QUIET_HOURS" in message and "\n" not in message


def test_missing_token_says_what_to_set(monkeypatch):
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="BOT_TOKEN is not set"):
        load_settings(_env_file=None).require_token()


def test_env_example_documents_every_setting():
    from pathlib import Path

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    documented = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert documented == {name.upper() for name in Settings.model_fields}
