"""Asking Telegram who the bot is, and turning "cannot talk to Telegram" into one clear line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import ConfigError, Settings


def _detail(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


@contextmanager
def explain_telegram_errors(settings: Settings) -> Iterator[None]:
    """Raise ConfigError naming the setting to fix when Telegram refuses or cannot be reached.

    Neither the token nor the proxy URL (which may carry a password) is ever printed.
    """
    try:
        yield
    except InvalidToken:  # 401 or 404; its message repeats the token, which must not be logged
        raise ConfigError(
            f"BOT_TOKEN was rejected by TELEGRAM_BASE_URL={settings.telegram_base_url}: copy the "
            "token again from @BotFather (/mybots, then API Token) into .env; with a Bot API "
            "mirror, also check that TELEGRAM_BASE_URL ends in /bot."
        ) from None
    except NetworkError as error:  # includes TimedOut
        via = " through TELEGRAM_PROXY" if settings.telegram_proxy else ""
        raise ConfigError(
            f"could not reach Telegram at TELEGRAM_BASE_URL={settings.telegram_base_url}{via} "
            f"({_detail(error)}): check the network, TELEGRAM_BASE_URL and TELEGRAM_PROXY "
            "(where Telegram is blocked, set TELEGRAM_PROXY or point TELEGRAM_BASE_URL at a "
            "Bot API mirror)."
        ) from None
    except TelegramError as error:
        raise ConfigError(
            f"Telegram refused to start the bot ({_detail(error)}): check BOT_TOKEN, "
            "TELEGRAM_BASE_URL and WEBHOOK_URL."
        ) from None


async def fetch_username(settings: Settings) -> str:
    """getMe through the same base URL and proxy the running bot uses."""
    bot = Bot(
        settings.bot_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=HTTPXRequest(proxy=settings.telegram_proxy or None),
    )
    with explain_telegram_errors(settings):
        async with bot:
            return bot.username
