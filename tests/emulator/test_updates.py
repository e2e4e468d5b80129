"""getUpdates long polling and offsets, the webhook, and a quick shutdown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.emulator import BotAPIEmulator

from .helpers import Api


@pytest.mark.timing
async def test_long_poll_wakes_on_a_user_message(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(20, "小明")
    started = time.monotonic()
    poll = asyncio.create_task(api.ok("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await user.send_text("/start invite123")
    updates = await poll
    assert time.monotonic() - started < 2
    message = updates[0]["message"]
    assert message["text"] == "/start invite123"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"]["language_code"] == "zh-hans"


async def test_offset_confirms_and_limit(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(21)
    for n in range(3):
        await user.send_text(f"m{n}")
    updates = await api.ok("getUpdates", limit=2)
    assert [u["message"]["text"] for u in updates] == ["m0", "m1"]
    first = updates[0]["update_id"]
    again = await api.ok("getUpdates", offset=first + 1)
    assert [u["message"]["text"] for u in again] == ["m1", "m2"]
    assert await api.ok("getUpdates", offset=first + 3, timeout=0) == []
    assert emu.pending_updates == 0
    for n in range(3):
        await user.send_text(f"n{n}")
    assert [u["message"]["text"] for u in await api.ok("getUpdates", offset=-1)] == ["n2"]


async def test_allowed_updates_filters(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(22)
    await api.ok("sendMessage", chat_id=22, text="k", reply_markup={
        "inline_keyboard": [[{"text": "a", "callback_data": "a"}]],
    })  # fmt: skip
    await user.send_text("text")
    await user.tap("a")
    only_callbacks = await api.ok("getUpdates", allowed_updates=["callback_query"])
    assert [list(u)[1] for u in only_callbacks] == ["callback_query"]


async def test_a_newer_poll_ends_the_older_with_409(emu: BotAPIEmulator, api: Api) -> None:
    older = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert await api.ok("getUpdates", timeout=0) == []
    status, body = await older
    assert status == 409 and body["description"].startswith("Conflict: terminated by other")


@pytest.mark.timing
async def test_stop_releases_a_pending_long_poll(api: Api, emu: BotAPIEmulator) -> None:
    poll = asyncio.create_task(api("getUpdates", timeout=30))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await emu.stop()
    assert time.monotonic() - started < 2.5
    poll.cancel()


class Receiver:
    """A tiny webhook endpoint that fails the first `failures` posts."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        self.received.append(await request.json())
        self.arrived.set()
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    hook = Receiver(failures=1)
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield hook, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivery(
    emu: BotAPIEmulator, api: Api, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    user = emu.user(23)
    await user.send_text("queued before the webhook")
    assert await api.ok("setWebhook", url=url, secret_token="s3cret-token_1") is True
    assert (await api.description("getUpdates")).startswith(
        "Conflict: can't use getUpdates method while webhook is active"
    )
    await user.send_text("after")
    async with asyncio.timeout(5):
        while len(hook.received) < 2:
            hook.arrived.clear()
            await hook.arrived.wait()
    assert [u["message"]["text"] for u in hook.received] == ["queued before the webhook", "after"]
    assert set(hook.secrets) == {"s3cret-token_1"} and len(hook.secrets) == 3  # one retry
    info = await api.ok("getWebhookInfo")
    assert info["url"] == url and info["pending_update_count"] == 0
    assert "500" in info["last_error_message"]
    assert await api.ok("deleteWebhook") is True
    await user.send_text("polled again")
    assert (await api.ok("getUpdates"))[0]["message"]["text"] == "polled again"
