"""Storing a visit and the follow-ups its departure brings, and moving them when a parent's
clock changes.

The planning itself (which days, which moments, what is new) is `bot.domain.follow_ups`; here
it meets the rows. The follow-ups are rows with a due time, so the tick only has to ask the
database what is due. Recording the same stay again, or correcting its dates, never doubles them.
"""

from __future__ import annotations

import logging
from datetime import date
from zoneinfo import ZoneInfo

from bot.adapters.db.models import ChildProfile, FollowUp, Person, Visit
from bot.adapters.db.store import Store
from bot.domain.follow_ups import (
    FollowUpKind,
    KnownFollowUp,
    PlannedFollowUp,
    VisitChange,
    adults_to_nudge,
    child_follow_ups,
    not_yet_planned,
    parent_follow_up_due,
    parent_follow_ups,
    schedule_day,
    visit_change,
)
from bot.domain.people import LinkKind
from bot.domain.schedule import WeeklySchedule
from bot.services.deps import Deps

log = logging.getLogger(__name__)


async def record_visit(
    deps: Deps,
    store: Store,
    child: Person,
    profile: ChildProfile,
    starts_on: date,
    ends_on: date,
    parent_id: int | None,
    recorded_by: int | None,
) -> tuple[Visit, bool]:
    """Store the stay and its follow-ups; returns the visit and whether an earlier record of the
    same stay (dates overlapping) was updated rather than a new one made."""
    now = deps.clock.now()
    visit = await store.visits.overlapping_visit(child.id, starts_on, ends_on)
    change = visit_change(
        (visit.starts_on, visit.ends_on) if visit is not None else None, (starts_on, ends_on)
    )
    if visit is None:
        visit = Visit(
            child_id=child.id,
            parent_id=parent_id,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=recorded_by,
            created_at=now,
        )
        store.add(visit)
        await store.flush()
    elif change == VisitChange.CORRECTED:
        visit.starts_on, visit.ends_on = starts_on, ends_on
        await store.visits.drop_pending(visit.id)  # remade below for the new dates
    existing = await store.visits.follow_ups_of(visit.id)
    people = {child.id: child}
    schedule = deps.dialogs.follow_up_schedule
    planned = child_follow_ups(
        child.id,
        visit.ends_on,
        schedule,
        WeeklySchedule.parse(profile.schedule).at,
        deps.tz_of(child.timezone),
        deps.settings.blocked_times,
        now,
    )
    adult_ids = adults_to_nudge(
        [_known(deps, f, people) for f in existing], parent_id, visit.parent_id
    )
    if not adult_ids:  # recorded by a coordinator or a carer: every parent of the child
        adults = await store.people.linked_adults(child.id, LinkKind.PARENT)
        adult_ids = {adult.id for adult in adults}
    for adult_id in sorted(adult_ids):
        adult = await store.get(Person, adult_id)
        if adult is not None:
            people[adult.id] = adult
            planned += parent_follow_ups(
                adult.id,
                visit.ends_on,
                schedule,
                deps.tz_of(adult.timezone),
                deps.settings.quiet_times,
                adult.work_hours,
                now,
            )
    # Known follow-ups are read on the clock of the person they are for, now all looked up.
    added = not_yet_planned(planned, [_known(deps, f, people) for f in existing])
    for follow_up in added:
        store.add(_row(visit, child, follow_up))
    await store.flush()
    log.info("visit %s of child %s recorded (%s follow-ups added)", visit.id, child.id, len(added))
    return visit, change != VisitChange.NEW


def _known(deps: Deps, row: FollowUp, people: dict[int, Person]) -> KnownFollowUp:
    person = people.get(row.person_id)
    tz = deps.tz_of(person.timezone if person is not None else None)
    return KnownFollowUp(row.person_id, row.kind, row.due_at, tz)


def _row(visit: Visit, child: Person, planned: PlannedFollowUp) -> FollowUp:
    return FollowUp(
        visit_id=visit.id,
        person_id=planned.person_id,
        child_id=child.id,
        kind=planned.kind.value,
        due_at=planned.due_at,
    )


async def retime_parent_follow_ups(
    deps: Deps, store: Store, parent: Person, old_tz: ZoneInfo
) -> None:
    """After a parent changed timezone or working hours: their pending extra nudges move to the
    same day's good hour on their new clock."""
    schedule = deps.dialogs.follow_up_schedule
    pending = await store.visits.pending_for(parent.id, FollowUpKind.NUDGE.value, deps.clock.now())
    for follow_up in pending:
        visit = await store.get(Visit, follow_up.visit_id)
        if visit is None:
            continue
        moved = follow_up.due_at.astimezone(old_tz).date()
        day = schedule_day(visit.ends_on, schedule.parent_days, moved)
        follow_up.due_at = parent_follow_up_due(
            day,
            schedule.parent_hour,
            deps.tz_of(parent.timezone),
            deps.settings.quiet_times,
            parent.work_hours,
        )
