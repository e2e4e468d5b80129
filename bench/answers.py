"""Many children tapping through their check-ins at once: Tongban against a bare PTB bot.

Enrols M children (default 200) straight into a SQLite file, ticks once so each has a check-in,
then every child taps through the whole check-in concurrently: mood, three items, then Skip on
the words step (5 taps each), waiting for the message to be edited before the next tap, as a
phone would. A tap counts as done when its callback query is answered AND the message edited.

Then, on the same emulator, a bare python-telegram-bot Application (a CallbackQueryHandler that
only answers the query and edits the message text to a counter) takes the same tapping load.

Both bots share the PTB configuration that matters: concurrent_updates(True), the same request
pools, Defaults and an AIORateLimiter(max_retries=3). With `--limits off` (default) the emulator
does no rate limiting and both limiters have no overall rate (overall_max_rate=0), so the figure
is the bots' own cost. With `--limits telegram` the emulator keeps Telegram's 30 sends/s overall
and both limiters their default 30/s; the per-chat bucket is generous (100/s, burst 100) in both
runs either way, so five quick edits in one chat are not what is measured.

Target: ratio (tongban_taps_per_second / bare_taps_per_second) >= 0.5.
"""

from __future__ import annotations

import os

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("PTB_TIMEDELTA", "1")

import argparse
import asyncio
import itertools
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from benchlib import (
    DUE_AT,
    bench_settings,
    checkin_count,
    enrol_children,
    tick_until_delivered,
)
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
)
from telegram.request import HTTPXRequest

from bot.bootstrap import build_core
from bot.clock import FakeClock
from bot.config import Settings
from bot.emulator import BotAPIEmulator, EmulatedUser, EmulatorLimits
from bot.telegram.app import TongbanBot

TAPS_PER_CHILD = 5  # mood, three items, Skip
TONGBAN_FIRST_ID = 200_000_000
BARE_FIRST_ID = 300_000_000
GENEROUS_PER_CHAT = {"per_chat_per_second": 100.0, "per_chat_burst": 100}


@dataclass
class Taps:
    """Taps done and failed (a child stops at a failed tap; the taps it never made count as
    failed). `seconds` runs from the first tap to the last one done, so waiting out the
    timeout of a failed tap is not counted as time spent tapping."""

    done: int = 0
    failed: int = 0
    started: float = 0.0
    last_done: float = 0.0

    @property
    def seconds(self) -> float:
        return max(0.0, self.last_done - self.started)

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=200, help="children tapping at once")
    parser.add_argument(
        "--limits",
        choices=("off", "telegram"),
        default="off",
        help="off: no rate limiting anywhere; telegram: 30 sends/s in emulator and limiter",
    )
    parser.add_argument("--tap-timeout", type=float, default=15.0, help="seconds per tap")
    parser.add_argument("--verbose", action="store_true", help="show the bots' INFO logs")
    return parser.parse_args()


def rate_limiter(throttled: bool, **kwargs: Any) -> AIORateLimiter:
    """The limiter both bots use: Tongban's own (max_retries=3), with or without 30/s."""
    kwargs.setdefault("max_retries", 3)
    if not throttled:
        kwargs["overall_max_rate"] = 0
    return AIORateLimiter(**kwargs)


# ---- the tapping phone ---------------------------------------------------------------------


async def tap_through(user: EmulatedUser, taps: Taps, seconds: float) -> None:
    """Tap the first button four times and Skip once, each after the last edit."""
    message = user.keyboard_message()
    for step in range(TAPS_PER_CHILD):
        buttons = [data for _, data in message.buttons() if data is not None]
        if not buttons:
            taps.failed += TAPS_PER_CHILD - step
            return
        skip = [d for d in buttons if d.endswith(":-1")] or buttons[-1:]  # not the help button
        data = skip[0] if step == TAPS_PER_CHILD - 1 else buttons[0]
        edits = message.edits
        query_id = await user.tap(data, message.message_id)
        try:
            await user.wait_until(lambda m, e=edits: m is message and m.edits > e, seconds)
        except AssertionError:  # the emulator's way of saying "not within `seconds`"
            taps.failed += TAPS_PER_CHILD - step
            return
        # Both bots answer before they edit, so an edited message without an answer is a miss.
        if any(answer["query_id"] == query_id for answer in user.callback_answers):
            taps.done += 1
            taps.last_done = perf_counter()
        else:
            taps.failed += 1


async def tap_all(users: Sequence[EmulatedUser], seconds: float) -> Taps:
    taps = Taps(started=perf_counter())
    await asyncio.gather(*(tap_through(user, taps, seconds) for user in users))
    return taps


# ---- Tongban ---------------------------------------------------------------------------------


async def tongban_run(
    emulator: BotAPIEmulator, settings: Settings, args: argparse.Namespace
) -> tuple[Taps, int]:
    clock = FakeClock(DUE_AT)
    core = await build_core(settings, clock)
    ids = [TONGBAN_FIRST_ID + n for n in range(args.children)]
    users = [emulator.user(i, language_code="en") for i in ids]
    await enrol_children(core, ids, DUE_AT - timedelta(seconds=1), clock.now())
    throttled = args.limits == "telegram"
    bot = TongbanBot(core, settings, rate_limiter=rate_limiter(throttled, max_retries=3))
    try:
        await bot.start()
        await bot.tick()
        await tick_until_delivered(bot, clock, users, seconds=120)
        missing = sum(1 for user in users if checkin_count(user) == 0)
        emulator.reset_stats()
        taps = await tap_all([u for u in users if checkin_count(u) == 1], args.tap_timeout)
        taps.failed += missing * TAPS_PER_CHILD
        return taps, emulator.stats.rejected_429
    finally:
        await bot.stop()
        await core.close()


# ---- the bare bot ----------------------------------------------------------------------------


def bare_application(settings: Settings, throttled: bool) -> Application:
    """A PTB Application built as TongbanBot builds its own, with only a callback handler."""
    counter = itertools.count(1)

    async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        await query.answer()
        await context.bot.edit_message_text(
            f"tap {next(counter)}",
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=query.message.reply_markup,
        )

    application = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .request(HTTPXRequest(connection_pool_size=settings.send_concurrency + 8))
        .get_updates_request(HTTPXRequest(read_timeout=40))
        .rate_limiter(rate_limiter(throttled))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(CallbackQueryHandler(on_tap))
    return application


async def bare_run(
    emulator: BotAPIEmulator, settings: Settings, args: argparse.Namespace
) -> tuple[Taps, int]:
    application = bare_application(settings, args.limits == "telegram")
    users = [emulator.user(BARE_FIRST_ID + n, language_code="en") for n in range(args.children)]
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"b:{n}") for n, label in enumerate("ABCDE")]]
    )
    await application.initialize()
    try:
        slots = asyncio.Semaphore(settings.send_concurrency)

        async def send_first(user: EmulatedUser) -> None:
            async with slots:
                await application.bot.send_message(user.id, "tap away", reply_markup=keyboard)

        await asyncio.gather(*(send_first(user) for user in users))
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=30, allowed_updates=["message", "callback_query"], drop_pending_updates=True
        )
        emulator.reset_stats()
        taps = await tap_all(users, args.tap_timeout)
        return taps, emulator.stats.rejected_429
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


async def run(args: argparse.Namespace) -> dict[str, object]:
    limits = (
        EmulatorLimits(**GENEROUS_PER_CHAT)
        if args.limits == "telegram"
        else EmulatorLimits(global_per_second=1e9, global_burst=10**9, **GENEROUS_PER_CHAT)
    )
    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as folder:
        async with BotAPIEmulator(limits=limits) as emulator:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'answers.db'}"
            settings = bench_settings(url, emulator)
            tongban, tongban_429 = await tongban_run(emulator, settings, args)
            bare, bare_429 = await bare_run(emulator, settings, args)
    overall = "30/s" if args.limits == "telegram" else "none"
    return {
        "children": args.children,
        "taps_per_child": TAPS_PER_CHILD,
        "limits": f"{args.limits} (emulator: overall {overall}, per chat 100/s burst 100)",
        "ptb_config": (
            f"concurrent_updates=True, AIORateLimiter(max_retries=3, overall {overall}) in both"
        ),
        "tongban_taps_done": tongban.done,
        "tongban_taps_failed": tongban.failed,
        "tongban_seconds": round(tongban.seconds, 2),
        "tongban_rate_limited_429": tongban_429,
        "bare_taps_done": bare.done,
        "bare_taps_failed": bare.failed,
        "bare_seconds": round(bare.seconds, 2),
        "bare_rate_limited_429": bare_429,
        "bare_taps_per_second": round(bare.per_second, 1),
        "tongban_taps_per_second": round(tongban.per_second, 1),
        "ratio": round(tongban.per_second / bare.per_second, 2) if bare.per_second else 0.0,
        "target": "ratio >= 0.5",
    }


def main() -> None:
    args = parse_args()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("httpx").setLevel(logging.WARNING)
    for name, value in asyncio.run(run(args)).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
