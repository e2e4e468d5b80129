"""Real python-telegram-bot against the emulator: errors map to PTB's exceptions,
and a polling Application works end to end."""

from __future__ import annotations

import asyncio
import datetime as dtm
import warnings
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
)

from bot.emulator import BotAPIEmulator, EmulatorLimits

from .helpers import TOKEN


@pytest.fixture
async def bot(emu: BotAPIEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data=data)]])


async def test_rate_limit_raises_retry_after(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.user(1)
    for n in range(5):
        await bot.send_message(1, f"m{n}")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1, "too fast")
    assert _seconds(info.value) == 1
    emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1, "injected")
    assert _seconds(info.value) == 7


async def test_errors_map_to_ptb_exceptions(emu: BotAPIEmulator, bot: Bot) -> None:
    user = emu.user(2)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(404, "x")
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.send_message(2, "<b>x", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(2, "长" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(2, "x", reply_markup=_keyboard("好" * 22))  # 66 bytes
    sent = await bot.send_message(2, "same", reply_markup=_keyboard("a"))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sent.edit_text("same", reply_markup=_keyboard("a"))
    user.block()
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(2, "x")


async def test_stale_callback_query() -> None:
    limits = EmulatorLimits(callback_query_ttl=0.05)
    emulator = BotAPIEmulator(token=TOKEN, limits=limits)
    async with emulator as emu, Bot(TOKEN, base_url=emulator.base_url) as bot:
        user = emu.user(3)
        await bot.send_message(3, "pick", reply_markup=_keyboard("x"))
        fresh = await user.tap("x")
        old = await user.tap("x")
        assert await bot.answer_callback_query(fresh) is True
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(fresh)  # answered already
        await asyncio.sleep(0.1)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(old)


async def test_polling_application_end_to_end(emu: BotAPIEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        payload = context.args[0] if context.args else "-"
        await update.message.reply_html(
            f"欢迎 <b>{update.message.from_user.first_name}</b> ({payload})",
            reply_markup=_keyboard("checkin:ok"),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("收到")
        await query.edit_message_text(f"已记录: {query.data}")

    app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    user = emu.user(4, "小明")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await user.send_command("start", "INVITE1")
        welcome = await user.wait_until(lambda m: "欢迎" in (m.text or ""))
        assert welcome.text == "欢迎 小明 (INVITE1)" and welcome.parse_mode == "HTML"
        assert welcome.source == "欢迎 <b>小明</b> (INVITE1)"
        await user.tap_button("好")
        edited = await user.wait_for_message(lambda m: m.edits > 0)
        assert edited.text == "已记录: checkin:ok" and edited.reply_markup is None
        assert user.callback_answers[0]["text"] == "收到"
        await app.updater.stop()
        await app.stop()


async def test_aio_rate_limiter_sees_no_429_in_steady_state(emu: BotAPIEmulator) -> None:
    chats = range(1000, 1060)
    for chat_id in chats:
        emu.user(chat_id)
    limiter = AIORateLimiter(max_retries=0)
    async with ExtBot(TOKEN, base_url=emu.base_url, rate_limiter=limiter) as bot:
        await asyncio.gather(*(bot.send_message(chat_id, "广播") for chat_id in chats))
    assert emu.stats.rejected_429 == 0 and emu.stats.total_sends == 60
