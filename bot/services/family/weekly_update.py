"""The weekly update to each parent: how the week went, in gentle words, never private ones.

Once a week (WEEKLY_UPDATE_AT on the parent's own clock, then past their night and working hours)
each joined parent hears about each child: check-ins answered, mood in a few words (unless a
coordinator switched that off), and the good thing the child chose to share. It is built from
check-in statuses, mood values and highlight keys only: a child's words, voice notes, loneliness
answers and alerts never reach it. While the volunteer has an open concern about the child
(loneliness, mood, silence; never a crisis or an abuse report, see `invites_parent_to_write`) the
update is instead a warm invitation to write this week, with no reason given.

`ContactPlan.next_update_at` is the moment of the plan's next update; the outbox row's key names
the plan and the week, so a restart or a repeated tick sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from bot.adapters.db.models import ContactPlan, Person
from bot.adapters.db.store import Store
from bot.domain.alerting import invites_parent_to_write
from bot.domain.mood_words import mood_wording
from bot.domain.outgoing import Outgoing
from bot.domain.schedule import WeeklySchedule, next_occurrence
from bot.services.alerts import highlights
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.outcome import Message
from bot.services.people import program_settings

BATCH = 500
WEEK = timedelta(days=7)
# The bot was down past this: that week's update is skipped rather than sent days late.
STALE_AFTER = timedelta(days=2)
MOOD_STEP = "mood"  # the mood-face step of dialogs/checkin.yaml
GROUP = "weekly_update"


def next_update_moment(deps: Deps, parent: Person, after: datetime) -> datetime:
    """The parent's next weekly update moment after `after`, on the parent's own clock."""
    schedule = WeeklySchedule.parse(deps.settings.weekly_update_at)
    return next_occurrence(schedule, after, deps.tz_of(parent.timezone))


async def collect_updates(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    await _schedule_new_parents(deps)
    return await _send_due(deps)


async def _schedule_new_parents(deps: Deps) -> None:
    """A newly joined parent's first update comes at their next update moment."""
    now = deps.clock.now()
    while True:
        async with deps.stores.begin() as store:
            rows = await store.family.updates_unscheduled(BATCH)
            for plan, parent, _ in rows:
                plan.next_update_at = next_update_moment(deps, parent, now)
        if len(rows) < BATCH:
            return


async def _send_due(deps: Deps) -> int:
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            mood_words = await program_settings.get_switch(store, program_settings.MOOD_WORDS)
            rows = await store.family.updates_due(now, BATCH)
            for plan, parent, child in rows:
                week_end = plan.next_update_at
                assert week_end is not None
                plan.next_update_at = next_update_moment(deps, parent, max(now, week_end))
                if now - week_end > STALE_AFTER or not _may_hear(plan, parent):
                    continue
                message = await compose(deps, store, parent, child, week_end, mood_words)
                if message is None:
                    continue
                week = week_end.astimezone(deps.tz_of(parent.timezone)).date().isoformat()
                update = Outgoing(
                    person_id=parent.id,
                    chat_id=parent.telegram_id or 0,
                    kind="weekly_update",
                    send_after=adult_good_hour(deps, parent, now),
                    message=message,
                    dedupe_key=f"weekly_update:{plan.id}:{week}",
                )
                queued += await store.outbox.enqueue(update, now)
        if len(rows) < BATCH:
            return queued


def _may_hear(plan: ContactPlan, parent: Person) -> bool:
    """A joined, reachable parent whose messages a coordinator has not paused (safeguarding)."""
    return (
        parent.telegram_id is not None and not parent.unreachable_since and not plan.relay_paused
    )


async def compose(
    deps: Deps,
    store: Store,
    parent: Person,
    child: Person,
    week_end: datetime,
    mood_words: bool,
) -> Message | None:
    """The parent's update about the week ending at `week_end`, or None when there is none.

    None while the child's consent does not stand: nothing about the child may be told then.
    A week the child only partly took part in (consent came during it) gets a short welcome
    instead of numbers that would read as a poor week.
    """
    consented_since = await store.family.consent_complete_since(child.id)
    if consented_since is None:
        return None
    locale, name = parent.locale, child.display_name
    concerns = await store.family.live_alerts(child.id)
    if any(invites_parent_to_write(reason, severity) for reason, severity in concerns):
        return Message(deps.texts.render("weekly_update_concern", locale, child=name))
    week_start = week_end - WEEK
    if consented_since > week_start:
        return Message(
            deps.texts.render("weekly_update_first_week", locale, child=name, mood=mood_words)
        )
    answered, sent = await store.family.checkins_in(child.id, week_start, week_end)
    mood = None
    if mood_words:
        tz = deps.tz_of(child.timezone)
        moods = await store.family.moods_in(child.id, MOOD_STEP, week_start, week_end)
        wording = mood_wording((value, at.astimezone(tz).weekday()) for value, at in moods)
        mood = deps.texts.label(f"mood_{wording.value}", locale, group=GROUP)
    key = await store.family.latest_highlight(child.id, week_start, week_end)
    tz = deps.tz_of(parent.timezone)
    text = deps.texts.render(
        "weekly_update",
        locale,
        child=name,
        start=_day(week_start, tz, locale),
        end=_day(week_end - timedelta(minutes=1), tz, locale),
        answered=answered,
        sent=sent,
        mood=mood,
        activities=activities_done(child, week_start, week_end),
        highlight=highlights.parent_phrase(deps, key, name, locale) if key else None,
    )
    return Message(text)


def activities_done(child: Person, start: datetime, end: datetime) -> list[str]:
    """Peer activities the child took part in that week, by name: the hook for the "Best
    Friends" groups of a later issue. Empty until they exist; never filled with made-up data."""
    return []


def _day(moment: datetime, tz: ZoneInfo, locale: str) -> str:
    return format_skeleton("MMMd", moment.astimezone(tz), locale=locale)
