"""A check-in round: N children (default 10,000) fall due at the same moment.

Enrols the children straight into a SQLite file (both consents given, next check-in one second
before the fake clock's now), starts the real TongbanBot against the in-process Bot API emulator
with its default, Telegram-like limits (30 sends/s overall, per-chat buckets, 429 retry_after),
times `collect_due`, drains the outbox, then ticks with the fake clock moved on a few seconds at
a time (so 429 retries come due) until every child has the check-in or the deadline passes.
`collect_due` is also timed with N enrolled and nothing due, before the round (no check-in
open) and after it (N open): what collecting costs should follow what is due, not N.

messages_sent and messages_per_second come from the emulator: successful rate-limited calls (only
sendMessage happens here) and their rate between the first and the last one. peak_memory_mb is
ru_maxrss of the whole process, emulator included.

Target: >= 28.5 msg/s, 0 missed, 0 twice, < 200 MB.
"""

from __future__ import annotations

import os

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("PTB_TIMEDELTA", "1")

import argparse
import asyncio
import logging
import statistics
import tempfile
from datetime import timedelta
from pathlib import Path
from time import perf_counter

from benchlib import (
    DUE_AT,
    bench_settings,
    checkin_count,
    enrol_children,
    peak_rss_mb,
    start_after_first_tick,
    tick_until_delivered,
)

from bot.bootstrap import build_core
from bot.clock import FakeClock
from bot.emulator import BotAPIEmulator, EmulatorLimits
from bot.services.deps import Deps
from bot.services.tick import collect_due
from bot.telegram.app import TongbanBot

FIRST_TELEGRAM_ID = 100_000_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=10_000, help="children due at once")
    parser.add_argument(
        "--deadline",
        type=float,
        default=None,
        help="seconds of wall time for the whole round (default: 60 + children / 20)",
    )
    parser.add_argument("--idle-runs", type=int, default=5, help="timed idle collect_due runs")
    parser.add_argument("--verbose", action="store_true", help="show the bot's INFO logs")
    return parser.parse_args()


async def time_idle_collect(deps: Deps, runs: int) -> tuple[float, int]:
    """Median milliseconds of `collect_due` when nothing should be due, and what it queued."""
    timings, queued = [], 0
    for _ in range(runs):
        started = perf_counter()
        report = await collect_due(deps)
        timings.append(perf_counter() - started)
        queued += report.opened + report.reminded + report.closed
    return round(1000 * statistics.median(timings), 2), queued


async def run(args: argparse.Namespace) -> dict[str, object]:
    deadline = args.deadline if args.deadline is not None else 60 + args.children / 20
    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        async with BotAPIEmulator(limits=EmulatorLimits()) as emulator:
            clock = FakeClock(DUE_AT - timedelta(minutes=5))  # nothing due until we say so
            settings = bench_settings(url, emulator)
            core = await build_core(settings, clock)
            ids = [FIRST_TELEGRAM_ID + n for n in range(args.children)]
            users = [emulator.user(i, language_code="en") for i in ids]
            enrol_seconds = await enrol_children(
                core, ids, DUE_AT - timedelta(seconds=1), clock.now()
            )
            bot = TongbanBot(core, settings)
            try:
                await start_after_first_tick(bot)
                idle_before_ms, _ = await time_idle_collect(core.deps, args.idle_runs)
                emulator.reset_stats()
                clock.set(DUE_AT)
                round_started = perf_counter()

                started = perf_counter()
                report = await collect_due(core.deps)
                collect_seconds = perf_counter() - started

                started = perf_counter()
                await bot.sender.drain()
                drain_seconds = perf_counter() - started

                remaining = deadline - (perf_counter() - round_started)
                ticks = await tick_until_delivered(bot, clock, users, max(0.0, remaining))
                round_seconds = perf_counter() - round_started

                idle_ms, idle_queued = await time_idle_collect(core.deps, args.idle_runs)
            finally:
                await bot.stop()
                await core.close()

            stats = emulator.stats
            counts = [checkin_count(user) for user in users]
            return {
                "children": args.children,
                "opened": report.opened,
                "messages_sent": stats.total_sends,
                "messages_per_second": round(stats.sends_per_second(), 2),
                "rate_limited_429": stats.rejected_429,
                "children_missed": sum(1 for n in counts if n == 0),
                "children_sent_twice": sum(1 for n in counts if n > 1),
                "enrol_seconds": round(enrol_seconds, 2),
                "collect_seconds": round(collect_seconds, 2),
                "collect_ms_per_child": round(1000 * collect_seconds / max(1, report.opened), 3),
                "drain_seconds": round(drain_seconds, 2),
                "extra_ticks": ticks,
                "round_seconds": round(round_seconds, 2),
                "collect_idle_before_ms": idle_before_ms,
                "collect_idle_ms": idle_ms,
                "collect_idle_queued": idle_queued,
                "peak_memory_mb": round(peak_rss_mb(), 1),
                "peak_memory_source": "ru_maxrss, whole process (bot + in-process emulator)",
                "target": ">= 28.5 msg/s, 0 missed, 0 twice, < 200 MB",
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
