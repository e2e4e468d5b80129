"""Webhook mode: Telegram (here the emulator) posts updates with the secret token."""

from __future__ import annotations

import socket

import aiohttp

from bot.bootstrap import build_core
from bot.telegram.app import TongbanBot
from tests.conftest import make_settings
from tests.e2e.conftest import listen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_updates_arrive_by_webhook(emulator, sqlite_url, clock):
    port = _free_port()
    settings = make_settings(
        sqlite_url,
        bot_token=emulator.token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret="s3cret-token",
        tick_seconds=3600,
    )
    core = await build_core(settings, clock)
    bot = TongbanBot(core, settings)
    await bot.start()
    try:
        stranger = emulator.user(4321, language_code="en")
        waiting = await listen(stranger, seconds=10)
        await stranger.send_text("/start")
        reply = await waiting
        assert "invite link" in reply.text
        forged = {
            "update_id": 999,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/start",
                "chat": {"id": 4321, "type": "private"},
            },
        }
        async with aiohttp.ClientSession() as client:
            url = settings.webhook_url
            async with client.post(url, json=forged) as response:
                assert response.status == 403  # no secret token: refused
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with client.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
    finally:
        await bot.stop()
        await core.close()
