"""Flood limits (global and per chat), fault injection and stats."""

from __future__ import annotations

import asyncio
import json
import tracemalloc

from bot.emulator import BotAPIEmulator, EmulatorLimits
from bot.emulator.limits import RateLimiter
from bot.emulator.methods_send import send_message
from bot.emulator.params import Call

from .helpers import TOKEN, Api


def test_token_bucket_math() -> None:
    exact = EmulatorLimits(per_chat_burst=1000, per_chat_per_second=1000, jitter_grace=0)
    limiter = RateLimiter(exact)
    assert all(limiter.acquire(n, 0.0) == 0 for n in range(30))
    assert abs(limiter.acquire(99, 0.0) - 1 / 30) < 1e-9
    assert limiter.acquire(99, 1 / 30) == 0
    per_chat = RateLimiter(EmulatorLimits())
    assert [per_chat.acquire(1, 0.0) for _ in range(5)] == [0] * 5
    assert per_chat.acquire(1, 0.0) == 1.0
    assert per_chat.acquire(1, 0.5) == 0.5
    assert per_chat.acquire(1, 1.0) == 0


def test_jitter_grace_lends_a_little_and_collects_it() -> None:
    limits = EmulatorLimits(per_chat_burst=1000, per_chat_per_second=1000, jitter_grace=0.05)
    limiter = RateLimiter(limits)
    assert all(limiter.acquire(n, 0.0) == 0 for n in range(30))
    assert limiter.acquire(30, 0.0) == 0  # 1/30 s short: within the 0.05 s grace
    assert limiter.acquire(31, 0.0) > 0.05  # 2/30 s short: refused
    assert limiter.acquire(31, 0.01) > 0.05  # the debt is still being repaid
    assert limiter.acquire(31, 0.04) == 0


async def test_global_burst_is_capped_and_recovers(emu: BotAPIEmulator, api: Api) -> None:
    chats = range(100, 160)
    for chat_id in chats:
        emu.user(chat_id)
    results = await asyncio.gather(
        *(api("sendMessage", chat_id=chat_id, text="hi") for chat_id in chats)
    )
    rejected = [body for status, body in results if status == 429]
    # 30 plus what refills while the burst is processed, plus the 0.1 s jitter grace.
    assert 30 <= 60 - len(rejected) <= 42
    assert rejected[0]["parameters"] == {"retry_after": 1}
    assert rejected[0]["description"] == "Too Many Requests: retry after 1"
    assert emu.stats.rejected_429 == len(rejected)
    # Non-sending methods spend nothing.
    for _ in range(5):
        await api.ok("getMe")
    await asyncio.sleep(0.2)  # ~6 tokens back, minus the debt taken on credit
    await api.ok("sendMessage", chat_id=159, text="again")


async def test_per_chat_bucket(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(41), emu.user(42)
    for n in range(5):
        await api.ok("sendMessage", chat_id=41, text=str(n))
    status, body = await api("sendMessage", chat_id=41, text="sixth")
    assert status == 429 and body["parameters"]["retry_after"] == 1
    await api.ok("sendMessage", chat_id=42, text="another chat is fine")
    await api.ok("sendChatAction", chat_id=41, action="typing")


async def test_retry_after_rounds_up(http) -> None:
    limits = EmulatorLimits(per_chat_per_second=0.25, per_chat_burst=1)
    async with BotAPIEmulator(token=TOKEN, limits=limits) as emu:
        emu.user(1)
        api = Api(http, emu)
        await api.ok("sendMessage", chat_id=1, text="a")
        status, body = await api("sendMessage", chat_id=1, text="b")
        assert status == 429 and body["parameters"]["retry_after"] == 4


async def test_no_limits(free_emu: BotAPIEmulator, http) -> None:
    api = Api(http, free_emu)
    free_emu.user(1)
    for n in range(60):
        await api.ok("sendMessage", chat_id=1, text=str(n))
    assert free_emu.stats.rejected_429 == 0
    assert free_emu.stats.sends_per_chat[1] == 60 and len(free_emu.stats.send_times) == 60
    assert free_emu.stats.sends_per_second() > 0
    free_emu.reset_stats()
    assert free_emu.stats.total_sends == 0


async def test_fail_next(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(50)
    emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    status, body = await api("sendMessage", chat_id=50, text="x")
    assert status == 429 and body["parameters"] == {"retry_after": 7}
    await api.ok("sendMessage", chat_id=50, text="x")
    emu.fail_next(None, 502, "Bad Gateway", count=2)
    assert (await api("getMe"))[0] == 502
    assert (await api("getMyCommands"))[0] == 502
    await api.ok("getMe")
    emu.fail_next("SENDMESSAGE", 400, "Bad Request: custom")
    assert await api.error("sendMessage", chat_id=50, text="x") == (400, "Bad Request: custom")
    assert emu.stats.methods["sendMessage"] == 3 and emu.stats.errors[502] == 2


async def test_ten_thousand_chats_stay_lean() -> None:
    """10,000 chats, each with a /start and a templated keyboard message, in well
    under 100 MB: identical keyboards and entity lists are stored once."""
    emu = BotAPIEmulator(token=TOKEN, limits=None)
    markup = json.dumps({"inline_keyboard": [[{"text": "好的", "callback_data": "checkin:ok"}]]})
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for chat_id in range(1, 10_001):
        user = emu.user(chat_id, "用户")
        await user.send_text("/start")
        emu.state.updates.confirm(10**12)
        params = {"chat_id": chat_id, "text": f"<b>你好</b> {chat_id}, 今天好吗?"}
        params.update(parse_mode="HTML", reply_markup=json.loads(markup))
        await send_message(emu.state, Call("sendMessage", params))
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert emu.stats.total_sends == 10_000
    assert grown < 20 * 1024 * 1024, grown
