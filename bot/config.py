"""Settings from the environment and `.env`, mirrored one for one in `.env.example`.

A wrong setting must stop start-up with one line that names it and says how to fix it, so a
social-work station's volunteer IT helper never has to read a traceback.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.alerting import EscalationTimes
from bot.domain.contact import split_windows
from bot.domain.schedule import BlockedTimes, WeeklySchedule

SUPPORTED_LOCALES = ("zh_CN", "en")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PROXY_SCHEMES = ("http://", "https://", "socks5://", "socks5h://")


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line meant for the operator."""


class Settings(BaseSettings):
    """Every knob the deployment can turn. Defaults suit a county station in mainland China."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    bot_username: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_proxy: str = ""
    database_url: str = "sqlite+aiosqlite:///./data/tongban.db"
    timezone: str = "Asia/Shanghai"
    default_locale: str = "zh_CN"
    checkin_schedule: str = "mon,wed,fri 17:30"
    weekly_update_at: str = "sun 19:00"
    checkin_window_hours: float = Field(24.0, gt=0, le=168)
    checkin_reminder_hours: float = Field(3.0, gt=0)
    school_hours: str = "mon-fri 08:00-16:30"
    quiet_hours: str = "daily 21:00-07:30"
    invite_ttl_days: int = Field(14, ge=1, le=365)
    invite_tries_per_hour: int = Field(5, ge=1, le=100)
    stranger_replies: int = Field(5, ge=1, le=100)
    stranger_reply_minutes: float = Field(10.0, gt=0, le=1440)
    alert_escalate_hours: float = Field(24.0, gt=0)
    task_escalate_hours: float = Field(2.0, gt=0)
    urgent_escalate_minutes: float = Field(15.0, gt=0)
    alert_snooze_hours: float = Field(24.0, gt=0)
    crisis_reply_fade_minutes: float = Field(30.0, gt=0)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(8443, ge=1, le=65535)
    tick_seconds: float = Field(20.0, gt=0)
    send_concurrency: int = Field(32, ge=1, le=256)
    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"{value!r} is not a known IANA timezone such as Asia/Shanghai"
            ) from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"{value!r} is not one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("checkin_schedule")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        WeeklySchedule.parse(value)
        return value

    @field_validator("weekly_update_at")
    @classmethod
    def _one_day_a_week(cls, value: str) -> str:
        if len(WeeklySchedule.parse(value).days) != 1:
            raise ValueError(f"{value!r} must name one day and a time, e.g. sun 19:00")
        return value

    @field_validator("school_hours", "quiet_hours")
    @classmethod
    def _valid_windows(cls, value: str) -> str:
        BlockedTimes.parse(split_windows(value))
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
        return value.strip().upper()

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        # The URL may hold a password, so messages name its scheme only, never the whole value.
        value = value.strip()
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme in ("postgresql", "postgres"):
            raise ValueError(
                f"use postgresql+asyncpg:// instead of {scheme}:// and install the postgres "
                "extra (pip install -e '.[postgres]')"
            )
        if scheme == "sqlite":
            raise ValueError("use sqlite+aiosqlite:/// instead of sqlite:///")
        if scheme == "postgresql+asyncpg":
            if importlib.util.find_spec("asyncpg") is None:
                raise ValueError(
                    "PostgreSQL needs the asyncpg driver, which is not installed: "
                    "pip install -e '.[postgres]'"
                )
        elif scheme != "sqlite+aiosqlite":
            raise ValueError(
                "must start with sqlite+aiosqlite:/// (a file) or postgresql+asyncpg:// "
                "(a PostgreSQL server)"
            )
        return value

    @field_validator("telegram_base_url", "telegram_base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with https:// (or http://)")
        return value.strip()

    @field_validator("telegram_proxy")
    @classmethod
    def _usable_proxy(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if not value.lower().startswith(PROXY_SCHEMES):
            raise ValueError(
                "must start with http://, https://, socks5:// or socks5h://, "
                "e.g. http://127.0.0.1:7890"
            )
        if value.lower().startswith("socks5") and importlib.util.find_spec("socksio") is None:
            raise ValueError(
                "a SOCKS5 proxy needs an extra package: pip install 'python-telegram-bot[socks]'"
            )
        return value

    @model_validator(mode="after")
    def _some_time_free(self) -> Self:
        if self.blocked_times.covers_whole_week():
            raise ValueError(
                "SCHOOL_HOURS and QUIET_HOURS together block every minute of the week, so no "
                "check-in could ever be sent; shorten one of them"
            )
        return self

    @field_validator("webhook_secret")
    @classmethod
    def _valid_secret(cls, value: str) -> str:
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if value and (len(value) > 256 or not set(value) <= allowed):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def blocked_times(self) -> BlockedTimes:
        return BlockedTimes.parse(split_windows(f"{self.school_hours};{self.quiet_hours}"))

    @property
    def quiet_times(self) -> BlockedTimes:
        """Night quiet hours alone: what holds for adults (volunteers, coordinators, parents)."""
        return BlockedTimes.parse(split_windows(self.quiet_hours))

    @property
    def escalation_times(self) -> EscalationTimes:
        return EscalationTimes(
            concern=timedelta(hours=self.alert_escalate_hours),
            task=timedelta(hours=self.task_escalate_hours),
            urgent=timedelta(minutes=self.urgent_escalate_minutes),
        )

    def require_token(self) -> None:
        """Running the bot needs a token; the invite and import commands do not."""
        if not self.bot_token.strip():
            raise ConfigError(
                "BOT_TOKEN is not set: create a bot with @BotFather in Telegram, then put "
                "BOT_TOKEN=<the token it gives you> in .env (copy .env.example) or the "
                "environment."
            )


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one operator-friendly line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        reason = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
        # A check across settings (model validator) has no location; its reason names them.
        subject = f"{str(error['loc'][0]).upper()} is invalid: " if error.get("loc") else ""
        raise ConfigError(
            f"{subject}{reason}. Fix it in .env or the environment (see .env.example)."
        ) from None
