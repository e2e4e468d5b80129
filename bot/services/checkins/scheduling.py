"""Keeping a child's next check-in time in the database, the single source of what is due."""

from __future__ import annotations

from datetime import datetime

from bot.adapters.db.models import ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.consent import may_check_in
from bot.domain.contact import good_hour
from bot.domain.schedule import WeeklySchedule, next_allowed, next_checkin
from bot.services.deps import Deps


def next_time(deps: Deps, child: Person, profile: ChildProfile, after: datetime) -> datetime:
    schedule = WeeklySchedule.parse(profile.schedule)
    return next_checkin(schedule, after, deps.tz_of(child.timezone), deps.settings.blocked_times)


async def refresh_schedule(
    deps: Deps, store: Store, child: Person, profile: ChildProfile
) -> datetime | None:
    """Set or clear `next_checkin_at` from consent and pause state; returns the new value."""
    state = await store.people.consent_state(child.id)
    if child.telegram_id is None or not may_check_in(state, profile.paused):
        profile.next_checkin_at = None
    elif profile.next_checkin_at is None:
        profile.next_checkin_at = next_time(deps, child, profile, deps.clock.now())
    return profile.next_checkin_at


def adult_good_hour(deps: Deps, adult: Person, after: datetime) -> datetime:
    """When a message for a parent (or carer) may go: outside their night and working hours,
    on their own clock (many work shifts, some abroad)."""
    return good_hour(
        after, deps.tz_of(adult.timezone), deps.settings.quiet_times, adult.work_hours
    )


def child_allowed(deps: Deps, child: Person, after: datetime) -> datetime:
    """When a message for a child may go: never in school hours or the night."""
    return next_allowed(after, deps.tz_of(child.timezone), deps.settings.blocked_times)
