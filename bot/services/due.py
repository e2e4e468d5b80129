"""Collecting what is due: new check-ins, reminders and expiries.

Called by the channel's repeating tick. It decides and writes outbox rows in the same transaction
as the state change, so a crash between deciding and sending loses nothing and repeats nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.adapters.db import checkin_repo, outbox_repo
from bot.adapters.db.models import Person
from bot.domain.checkin_rules import CheckinKind
from bot.services import checkin_view
from bot.services.checkins import close_checkin, open_checkin
from bot.services.deps import Deps
from bot.services.scheduling import next_time

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class DueReport:
    opened: int = 0
    reminded: int = 0
    closed: int = 0
    skipped_late: int = 0

    @property
    def queued(self) -> bool:
        return bool(self.opened or self.reminded or self.closed)


async def collect_due(deps: Deps) -> DueReport:
    report = DueReport()
    await _open_scheduled(deps, report)
    await _remind(deps, report)
    await _expire(deps, report)
    if report.queued or report.skipped_late:
        log.info("due: %s", report)
    return report


async def _open_scheduled(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    window = timedelta(hours=deps.settings.checkin_window_hours)
    while True:
        async with deps.sessions.begin() as session:
            rows = await checkin_repo.children_due(session, now, BATCH)
            for child, profile in rows:
                scheduled = profile.next_checkin_at
                assert scheduled is not None
                if child.telegram_id is None or profile.paused:
                    profile.next_checkin_at = None
                    continue
                profile.next_checkin_at = next_time(deps, child, profile, max(now, scheduled))
                if now - scheduled >= window:
                    report.skipped_late += 1  # the bot was down the whole window: no stale backlog
                    continue
                await open_checkin(deps, session, child, CheckinKind.SCHEDULED, now)
                report.opened += 1
        if len(rows) < BATCH:
            return


async def _remind(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    async with deps.sessions.begin() as session:
        for checkin in await checkin_repo.reminders_due(session, now, BATCH):
            checkin.remind_at = None
            child = await session.get(Person, checkin.child_id)
            if child is None or child.telegram_id is None:
                continue
            message = checkin_view.step_message(
                deps, checkin.id, checkin.step, child.display_name, child.locale, reminder=True
            )
            report.reminded += await outbox_repo.enqueue(
                session,
                person_id=child.id,
                chat_id=child.telegram_id,
                kind="reminder",
                body=message.to_body(),
                send_after=now,
                now=now,
                checkin_id=checkin.id,
                dedupe_key=f"reminder:{checkin.id}",
            )


async def _expire(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    async with deps.sessions.begin() as session:
        for checkin in await checkin_repo.expired_open(session, now, BATCH):
            await close_checkin(session, checkin, None)
            report.closed += 1
            child = await session.get(Person, checkin.child_id)
            if child is None or child.telegram_id is None or checkin.message_id is None:
                continue
            body = checkin_view.closed_message(deps, child.locale).to_body()
            body["edit_message_id"] = checkin.message_id
            await outbox_repo.enqueue(
                session,
                person_id=child.id,
                chat_id=child.telegram_id,
                kind="checkin_closed",
                body=body,
                send_after=now,
                now=now,
                checkin_id=checkin.id,
                dedupe_key=f"closed:{checkin.id}",
            )
