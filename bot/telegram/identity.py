"""Asking Telegram who the bot is, for the command line's invite links."""

from __future__ import annotations

from telegram import Bot

from bot.config import Settings


async def fetch_username(settings: Settings) -> str:
    async with Bot(settings.bot_token, base_url=settings.telegram_base_url) as bot:
        return bot.username
