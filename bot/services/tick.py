"""Collecting what is due: expiries, new check-ins and reminders.

Called by the channel's repeating tick. It decides and writes outbox rows in the same transaction
as the state change, so a crash between deciding and sending loses nothing and repeats nothing.
Whatever it queues goes out at the child's next allowed moment: a tick that runs late (the bot
was down) never sends into school hours or the night.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.checkin_rules import CheckinKind, CheckinStatus
from bot.domain.outgoing import Outgoing
from bot.services.alerts.ladder import escalate_due
from bot.services.checkins import checkin_view, child_words
from bot.services.checkins.checkins import close_checkin, open_checkin
from bot.services.checkins.scheduling import child_allowed, next_time
from bot.services.deps import Deps
from bot.services.family import call_tick, follow_ups, nudges, relay_release, weekly_update

log = logging.getLogger(__name__)
BATCH = 500
# What keeps parents and children in touch; each step asks the database what is due and queues it.
FAMILY_STEPS = (
    relay_release.collect_relays,
    relay_release.forget_old_content,
    follow_ups.collect_follow_ups,
    nudges.collect_nudges,
    call_tick.collect_calls,
    weekly_update.collect_updates,
    child_words.forget_old_words,  # not family, but as independent: one failing stops nothing
)


@dataclass
class DueReport:
    opened: int = 0
    reminded: int = 0
    closed: int = 0
    skipped_late: int = 0
    skipped_open: int = 0
    escalated: int = 0
    family: int = 0  # relayed messages, nudges, calls, weekly updates, follow-ups

    @property
    def queued(self) -> bool:
        return bool(self.opened or self.reminded or self.closed or self.escalated or self.family)


async def collect_due(deps: Deps) -> DueReport:
    report = DueReport()
    await _expire(deps, report)  # first, so a new check-in never meets a stale open one
    await _open_scheduled(deps, report)
    await _open_adhoc(deps, report)
    await _remind(deps, report)
    report.escalated = await escalate_due(deps)
    for collect in FAMILY_STEPS:
        try:
            report.family += await collect(deps)
        except Exception:  # one broken step must not stop the others, or check-ins and alerts
            log.exception("due: %s failed; the next tick tries again", collect.__name__)
    if report.queued or report.skipped_late or report.skipped_open:
        log.info("due: %s", report)
    return report


async def _open_scheduled(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    window = timedelta(hours=deps.settings.checkin_window_hours)
    while True:
        async with deps.stores.begin() as store:
            rows = await store.checkins.children_due(now, BATCH)
            for child, profile in rows:
                scheduled = profile.next_checkin_at
                assert scheduled is not None
                if child.telegram_id is None or profile.paused:
                    profile.next_checkin_at = None
                    continue
                profile.next_checkin_at = next_time(deps, child, profile, max(now, scheduled))
                if now - scheduled >= window:
                    report.skipped_late += 1  # the bot was down the whole window: no stale backlog
                elif not await _free_for_scheduled(deps, store, child.id):
                    report.skipped_open += 1  # e.g. a departure's light one: never cut it off
                else:
                    await open_checkin(
                        deps,
                        store,
                        child,
                        CheckinKind.SCHEDULED,
                        child_allowed(deps, child, now),
                    )
                    report.opened += 1
        if len(rows) < BATCH:
            return


async def _free_for_scheduled(deps: Deps, store: Store, child_id: int) -> bool:
    """True when nothing holds the child's chat. An extra ask (ad hoc) still open ends here,
    so two check-ins never overlap and the scheduled one, which silence is counted on, goes."""
    found = await store.checkins.open_checkin(child_id)
    if found is None:
        return True
    if found.kind != CheckinKind.ADHOC.value:
        return False
    await close_checkin(deps, store, found, None)
    return True


async def _open_adhoc(deps: Deps, report: DueReport) -> None:
    """Check-ins a coordinator asked for now (e.g. after a storm), in batches."""
    now = deps.clock.now()
    while True:
        async with deps.stores.begin() as store:
            rows = await store.checkins.adhoc_due(now, BATCH)
            for child, profile in rows:
                profile.adhoc_requested_at = None
                if child.telegram_id is None or profile.paused:
                    continue
                if await store.checkins.open_checkin(child.id) is not None:
                    report.skipped_open += 1
                    continue
                await open_checkin(
                    deps, store, child, CheckinKind.ADHOC, child_allowed(deps, child, now)
                )
                report.opened += 1
        if len(rows) < BATCH:
            return


async def _remind(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    async with deps.stores.begin() as store:
        for checkin in await store.checkins.reminders_due(now, BATCH):
            checkin.remind_at = None
            if checkin.status != CheckinStatus.OPEN:
                continue
            child = await store.get(Person, checkin.child_id)
            profile = await store.get(ChildProfile, checkin.child_id)
            if child is None or child.telegram_id is None or child.unreachable_since:
                continue
            if profile is None or profile.paused:
                continue
            message = checkin_view.step_message(deps, checkin, checkin.step, child, reminder=True)
            reminder = Outgoing(
                person_id=child.id,
                chat_id=child.telegram_id,
                kind="reminder",
                send_after=child_allowed(deps, child, now),
                message=message,
                checkin_id=checkin.id,
                dedupe_key=f"reminder:{checkin.id}",
            )
            report.reminded += await store.outbox.enqueue(reminder, now)


async def _expire(deps: Deps, report: DueReport) -> None:
    now = deps.clock.now()
    async with deps.stores.begin() as store:
        for checkin in await store.checkins.expired_open(now, BATCH):
            await close_checkin(deps, store, checkin, None)
            report.closed += 1
