"""After a parent leaves again: extra light check-ins for the child, extra parent nudges.

Parents (for their own children) or coordinators record a visit's dates with /visit. Its end is
a departure; the follow-ups after it (dialogs/departures.yaml) are rows with a due time, so the
tick only has to ask the database what is due. Recording the same stay again, or correcting its
dates, never doubles them.

The extra check-in is the ordinary one (a face, three taps, optional words: under a minute): the
questionnaire has no shorter variant yet, and the same items keep the child's trend comparable.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.adapters.db.models import ChildProfile, FollowUp, Person, Visit
from bot.adapters.db.store import Store
from bot.domain.checkin_rules import CheckinKind
from bot.domain.consent import may_check_in
from bot.domain.contact import FollowUpKind, follow_up_days, visit_problem
from bot.domain.people import LinkKind, Role, nickname_key
from bot.domain.schedule import WeeklySchedule, local_day_bounds
from bot.services import nudges
from bot.services.access import FAR_PARENT, act_for
from bot.services.checkins.checkins import open_checkin
from bot.services.checkins.scheduling import adult_good_hour, child_allowed
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Outcome, Sender

log = logging.getLogger(__name__)
BATCH = 500
# Follow-ups due longer ago than this are never looked at again (the bot was down): an extra
# check-in or nudge days late helps nobody. Bounding the look-back keeps the query cheap.
LOOK_BACK = timedelta(days=2)
NUDGE_STALE = timedelta(hours=24)
# A parent who wrote this recently is already in touch: no extra nudge.
RECENT_CONTACT = timedelta(hours=24)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- recording a visit ------------------------------------------------------------------------


def _parse_date(text: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UserError("visit_dates", value=text) from None


async def visit_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/visit [NICK] YYYY-MM-DD YYYY-MM-DD`: a parent for their own child (the nickname may be
    left out when they have one), a coordinator for any child."""
    staff = [p for p in people if p.role == Role.COORDINATOR]
    reader = staff[0] if staff else people[0]
    if len(args) not in (2, 3) or (staff and len(args) != 3):
        raise UserError("visit_usage")
    if staff:
        found = await store.people.child_by_nickname(args[0])
        if found is None:
            raise UserError("child_not_found", nickname=args[0])
        child, profile = found
        parent_id = None
    else:
        child, profile, parent_id = await _family_child(store, people, args)
    starts_on, ends_on = _parse_date(args[-2]), _parse_date(args[-1])
    today = deps.clock.now().astimezone(deps.tz_of(child.timezone)).date()
    problem = visit_problem(starts_on, ends_on, today)
    if problem is not None:
        raise UserError(problem)
    visit, updated = await record_visit(
        deps, store, child, profile, starts_on, ends_on, parent_id, reader.id
    )
    follow_ups = await store.visits.follow_ups_of(visit.id)
    return Outcome.reply(_recorded_text(deps, reader, child, visit, follow_ups, updated))


async def _family_child(
    store: Store, parents: list[Person], args: list[str]
) -> tuple[Person, ChildProfile, int | None]:
    """The parent's own child named in args (or their only one), and the parent's id when
    they are the child's parent (a carer records for the parents: all of them are nudged)."""
    children: dict[int, Person] = {}
    for parent in parents:
        for child in await store.people.family_children(parent.id):
            children[child.id] = child
    if len(args) == 3:
        key = nickname_key(args[0])
        chosen = [c for c in children.values() if nickname_key(c.display_name) == key]
        if not chosen:
            raise UserError("child_not_found", nickname=args[0])  # same words as "not yours"
        child = chosen[0]
    elif len(children) == 1:
        child = next(iter(children.values()))
    else:
        names = sorted(c.display_name for c in children.values())
        raise UserError(
            "visit_which_child", children=", ".join(names), example=names[0] if names else ""
        )
    found = await store.people.child_with_profile(child.id)
    assert found is not None
    as_parent = await act_for(store, parents, child.id, FAR_PARENT)
    return found[0], found[1], as_parent.person.id if as_parent else None


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
    updated = visit is not None
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
    elif (visit.starts_on, visit.ends_on) != (starts_on, ends_on):
        visit.starts_on, visit.ends_on = starts_on, ends_on
        await store.visits.drop_pending(visit.id)  # remade below for the new dates
    existing = await store.visits.follow_ups_of(visit.id)
    adult_ids = {f.person_id for f in existing if f.kind == FollowUpKind.NUDGE}
    for known in (parent_id, visit.parent_id):
        if known is not None:
            adult_ids.add(known)
    if not adult_ids:  # recorded by a coordinator or a carer: every parent of the child
        adults = await store.people.linked_adults(child.id, LinkKind.PARENT)
        adult_ids = {adult.id for adult in adults}
    people = {child.id: child}
    planned = _child_follow_ups(deps, child, profile, visit, now)
    for adult_id in sorted(adult_ids):
        adult = await store.get(Person, adult_id)
        if adult is not None:
            people[adult.id] = adult
            planned += _parent_follow_ups(deps, adult, child, visit, now)
    # Already there when the same moment, or the same day on that person's clock, is planned.
    have: set[tuple[int, str, object]] = set()
    for follow_up in existing:
        tz = deps.tz_of(
            people[follow_up.person_id].timezone if follow_up.person_id in people else None
        )
        have |= {
            (follow_up.person_id, follow_up.kind, follow_up.due_at),
            (follow_up.person_id, follow_up.kind, follow_up.due_at.astimezone(tz).date()),
        }
    added = 0
    for follow_up, day in planned:
        keys = {
            (follow_up.person_id, follow_up.kind, follow_up.due_at),
            (follow_up.person_id, follow_up.kind, day),
        }
        if not keys & have:
            store.add(follow_up)
            have |= keys
            added += 1
    await store.flush()
    log.info("visit %s of child %s recorded (%s follow-ups added)", visit.id, child.id, added)
    return visit, updated


def _child_follow_ups(
    deps: Deps, child: Person, profile: ChildProfile, visit: Visit, now: datetime
) -> list[tuple[FollowUp, date]]:
    """Extra check-ins at the child's usual check-in time on each day, out of school and night.

    Days already past are left out: a visit recorded late gets only what is still ahead.
    """
    tz = deps.tz_of(child.timezone)
    at = WeeklySchedule.parse(profile.schedule).at
    days = follow_up_days(visit.ends_on, deps.dialogs.follow_up_schedule.child_days)
    return [
        (
            FollowUp(
                visit_id=visit.id,
                person_id=child.id,
                child_id=child.id,
                kind=FollowUpKind.CHECKIN.value,
                due_at=_utc(child_allowed(deps, child, datetime.combine(day, at, tzinfo=tz))),
            ),
            day,
        )
        for day in days
        if day >= now.astimezone(tz).date()
    ]


def parent_follow_up_due(deps: Deps, parent: Person, day: date) -> datetime:
    """A parent's extra nudge: the first good hour from the schedule's hour on that day."""
    tz = deps.tz_of(parent.timezone)
    start = datetime.combine(day, time(deps.dialogs.follow_up_schedule.parent_hour), tzinfo=tz)
    return _utc(adult_good_hour(deps, parent, start))


def _parent_follow_ups(
    deps: Deps, parent: Person, child: Person, visit: Visit, now: datetime
) -> list[tuple[FollowUp, date]]:
    tz = deps.tz_of(parent.timezone)
    days = follow_up_days(visit.ends_on, deps.dialogs.follow_up_schedule.parent_days)
    return [
        (
            FollowUp(
                visit_id=visit.id,
                person_id=parent.id,
                child_id=child.id,
                kind=FollowUpKind.NUDGE.value,
                due_at=parent_follow_up_due(deps, parent, day),
            ),
            day,
        )
        for day in days
        if day >= now.astimezone(tz).date()
    ]


def _utc(moment: datetime) -> datetime:
    """Stored values come back in UTC; comparing like with like keeps the dedupe exact."""
    return moment.astimezone(UTC)


async def retime_parent_follow_ups(
    deps: Deps, store: Store, parent: Person, old_tz: ZoneInfo
) -> None:
    """After a parent changed timezone or working hours: their pending extra nudges move to the
    same day's good hour on their new clock."""
    pending = await store.visits.pending_for(parent.id, FollowUpKind.NUDGE.value, deps.clock.now())
    for follow_up in pending:
        visit = await store.get(Visit, follow_up.visit_id)
        if visit is None:
            continue
        # The schedule's day it was for (a late good hour may have pushed it past midnight).
        planned = follow_up_days(visit.ends_on, deps.dialogs.follow_up_schedule.parent_days)
        moved = follow_up.due_at.astimezone(old_tz).date()
        day = max((d for d in planned if d <= moved), default=moved)
        follow_up.due_at = parent_follow_up_due(deps, parent, day)


def _recorded_text(
    deps: Deps,
    reader: Person,
    child: Person,
    visit: Visit,
    follow_ups: list[FollowUp] | tuple[FollowUp, ...],
    updated: bool,
) -> str:
    pending = [f for f in follow_ups if f.done_at is None]
    checkins = [f.due_at for f in pending if f.kind == FollowUpKind.CHECKIN]
    nudged = [f for f in pending if f.kind == FollowUpKind.NUDGE]
    mine = sorted(f.due_at for f in nudged if f.person_id == reader.id)
    locale = reader.locale
    return deps.texts.render(
        "visit_recorded",
        locale,
        child=child.display_name,
        starts=format_date(visit.starts_on, "medium", locale=locale),
        ends=format_date(visit.ends_on, "medium", locale=locale),
        updated=updated,
        checkins=len(checkins),
        first_checkin=local_time(deps, min(checkins), reader.timezone, locale)
        if checkins
        else None,
        reminders=[local_time(deps, due, reader.timezone, locale) for due in mine],
        parents_nudged=len({f.person_id for f in nudged}),
        staff=reader.role == Role.COORDINATOR,
    )


# --- carrying out what is due -------------------------------------------------------------------


async def collect_follow_ups(deps: Deps) -> int:
    """Queue what is due now; returns how many messages were queued."""
    now = deps.clock.now()
    queued = 0
    while True:
        async with deps.stores.begin() as store:
            rows = await store.visits.follow_ups_due(now, now - LOOK_BACK, BATCH)
            for follow_up in rows:
                if follow_up.kind == FollowUpKind.CHECKIN:
                    queued += await _extra_checkin(deps, store, follow_up, now)
                else:
                    queued += await _extra_nudge(deps, store, follow_up, now)
        if len(rows) < BATCH:
            return queued


async def _extra_checkin(deps: Deps, store: Store, follow_up: FollowUp, now: datetime) -> int:
    """Open the extra check-in, unless the child may not get one or already has one that day."""
    follow_up.done_at = now
    found = await store.people.child_with_profile(follow_up.child_id)
    if found is None:
        return 0
    child, profile = found
    if now - follow_up.due_at >= timedelta(hours=deps.settings.checkin_window_hours):
        return 0  # the bot was down all the while: no stale check-in
    if not nudges.reachable(child) or profile.paused:
        return 0
    if not may_check_in(await store.people.consent_state(child.id), profile.paused):
        return 0
    if await store.checkins.open_checkin(child.id) is not None:
        return 0
    start, end = local_day_bounds(follow_up.due_at, deps.tz_of(child.timezone))
    if await store.visits.checkin_due_between(child.id, start, end):
        return 0  # that day already had its check-in: one a day is enough
    await open_checkin(deps, store, child, CheckinKind.FOLLOW_UP, child_allowed(deps, child, now))
    return 1


async def _extra_nudge(deps: Deps, store: Store, follow_up: FollowUp, now: datetime) -> int:
    """An extra nudge with a departure starter; not counted in the plan's back-off."""
    plan = await store.people.contact_plan(follow_up.person_id, follow_up.child_id)
    parent = await store.get(Person, follow_up.person_id)
    found = await store.people.child_with_profile(follow_up.child_id)
    if plan is None or parent is None or found is None or plan.nudges_stopped:
        follow_up.done_at = now
        return 0
    child, profile = found
    recent = plan.last_contact_at is not None and now - plan.last_contact_at < RECENT_CONTACT
    stale = now - follow_up.due_at >= NUDGE_STALE
    if recent or stale or await nudges.blocked(store, plan, parent, child):
        follow_up.done_at = now
        return 0
    wait_until = nudges.not_before(deps, parent, profile, now)
    if wait_until - now >= NUDGE_STALE:
        follow_up.done_at = now  # not within a day (the child muted parents): let it go
        return 0
    if wait_until > now:
        follow_up.due_at = wait_until  # not this hour for them: looked at again then
        return 0
    follow_up.done_at = now
    return int(await nudges.send_nudge(deps, store, plan, parent, child, now, departure=True))
