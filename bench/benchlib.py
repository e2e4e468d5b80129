"""What both benchmarks share: settings for the emulator, bulk enrolment, delivery and memory.

Children are written straight into the database with SQLAlchemy core inserts (person, profile,
guardian consent and the child's assent), so a benchmark measures the round, not enrolment.
"""

from __future__ import annotations

import asyncio
import resource
from collections.abc import Sequence
from datetime import datetime, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.adapters.db.models import ChildProfile, Consent, Person
from bot.adapters.db.store import Store
from bot.bootstrap import Core
from bot.clock import FakeClock
from bot.config import Settings
from bot.domain.consent import ConsentKind, ConsentMethod
from bot.domain.people import Role
from bot.emulator import BotAPIEmulator, EmulatedUser, SentMessage
from bot.telegram.app import TongbanBot

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 23 November 2026, 17:30 in Shanghai: a scheduled check-in time of the default schedule.
DUE_AT = datetime(2026, 11, 23, 17, 30, tzinfo=SHANGHAI)
ROWS_PER_INSERT = 2000


def bench_settings(database_url: str, emulator: BotAPIEmulator, **overrides: object) -> Settings:
    """Settings for a bot talking to the emulator; the tick job is set far apart so the
    benchmark alone decides when to tick."""
    values: dict[str, object] = {
        "database_url": database_url,
        "bot_token": emulator.token,
        "bot_username": "",
        "telegram_base_url": emulator.base_url,
        "telegram_base_file_url": emulator.base_file_url,
        "tick_seconds": 3600,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def enrol_children(
    core: Core,
    telegram_ids: Sequence[int],
    next_checkin_at: datetime,
    now: datetime,
    first_id: int = 1,
) -> float:
    """Insert one eligible child per Telegram id (person ids from `first_id`); returns the
    seconds it took."""
    started = perf_counter()
    schedule = core.deps.settings.checkin_schedule
    async with core.deps.stores.engine.begin() as connection:
        for offset in range(0, len(telegram_ids), ROWS_PER_INSERT):
            ids = telegram_ids[offset : offset + ROWS_PER_INSERT]
            chunk = list(enumerate(ids, first_id + offset))
            people = [_person(pid, tid, now) for pid, tid in chunk]
            profiles = [_profile(pid, schedule, next_checkin_at) for pid, _ in chunk]
            consents = [_consent(pid, kind, now) for pid, _ in chunk for kind in ConsentKind]
            await connection.execute(insert(Person.__table__), people)
            await connection.execute(insert(ChildProfile.__table__), profiles)
            await connection.execute(insert(Consent.__table__), consents)
    return perf_counter() - started


def _person(person_id: int, telegram_id: int, now: datetime) -> dict[str, object]:
    return {
        "id": person_id,
        "role": Role.CHILD.value,
        "display_name": f"child{person_id}",
        "telegram_id": telegram_id,
        "locale": "en",
        "timezone": "Asia/Shanghai",
        "unreachable_since": None,
        "created_at": now,
    }


def _profile(person_id: int, schedule: str, next_checkin_at: datetime) -> dict[str, object]:
    return {
        "person_id": person_id,
        "nickname_key": f"child{person_id}",
        "age_band": "10-12",
        "guardianship": "grandparents",
        "village": None,
        "school": None,
        "schedule": schedule,
        "paused": False,
        "next_checkin_at": next_checkin_at,
    }


def _consent(person_id: int, kind: ConsentKind, now: datetime) -> dict[str, object]:
    method = ConsentMethod.PAPER if kind == ConsentKind.GUARDIAN else ConsentMethod.CHAT
    return {
        "child_id": person_id,
        "kind": kind.value,
        "method": method.value,
        "recorded_by": None,
        "given_at": now,
        "withdrawn_at": None,
    }


def is_checkin(message: SentMessage) -> bool:
    """A check-in message carries check-in answer buttons (callback data "c:...")."""
    return any((data or "").startswith("c:") for _, data in message.buttons())


def checkin_count(user: EmulatedUser) -> int:
    return sum(1 for message in user.messages if is_checkin(message))


async def start_after_first_tick(bot: TongbanBot, seconds: float = 30.0) -> None:
    """Start the bot and wait until the job's first tick (0.1 s after start) has finished, so
    it cannot overlap anything the benchmark then does by hand."""
    ran = asyncio.Event()
    tick = bot.tick

    async def first_tick(context: object = None) -> None:
        await tick(context)  # type: ignore[arg-type]
        ran.set()

    bot.tick = first_tick  # type: ignore[method-assign]
    await bot.start()
    await asyncio.wait_for(ran.wait(), seconds)


async def outbox_pending(core: Core) -> bool:
    async with core.deps.stores.sessions() as session:
        return await Store(session).outbox.next_due_at() is not None


async def tick_until_delivered(
    bot: TongbanBot,
    clock: FakeClock,
    users: Sequence[EmulatedUser],
    seconds: float,
    step: timedelta = timedelta(seconds=5),
) -> int:
    """Tick, moving the fake clock on by `step` each time so retries come due, until every
    user has a check-in, nothing is left to send, or `seconds` of wall time pass.
    Returns the number of ticks."""
    deadline = perf_counter() + seconds
    ticks = 0
    while perf_counter() < deadline and any(checkin_count(u) == 0 for u in users):
        if not await outbox_pending(bot.core):
            break
        clock.advance(step)
        await bot.tick()
        ticks += 1
    return ticks


def peak_rss_mb() -> float:
    """Peak resident memory of this whole process (bot and in-process emulator), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
