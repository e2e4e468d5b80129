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
    ],
)
def test_bad_setting_is_named_in_one_line(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message


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
