"""A parent's own settings: their timezone, working hours, and whether to get contact nudges.

Many migrant parents work shifts or live abroad; nothing is sent to them in their night or their
working hours, on their own clock. A parent with several children (or invited once per child)
has one person per invite on the same account: settings apply to all of them.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import available_timezones

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.contact import leaves_no_time, parse_work_hours
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.family import departure_plans, nudge_controls
from bot.services.formatting import local_time
from bot.services.outcome import Outcome, Sender

TIMEZONE_EXAMPLES = "Asia/Shanghai, Asia/Dubai, Asia/Tokyo, Europe/Madrid, America/New_York"


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def find_timezone(text: str) -> str | None:
    """The IANA name the parent meant ("europe/madrid" -> "Europe/Madrid"), or None."""
    return _zones_by_folded_name().get(text.strip().casefold())


def _clock(deps: Deps, parent: Person, moment: datetime) -> str:
    return local_time(deps, moment, parent.timezone, parent.locale)


async def timezone_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/timezone` shows it; `/timezone Europe/Madrid` sets it."""
    parent, now = people[0], deps.clock.now()
    if len(args) > 1:
        raise UserError("timezone_unknown", value=" ".join(args), examples=TIMEZONE_EXAMPLES)
    if args:
        name = find_timezone(args[0])
        if name is None:
            raise UserError("timezone_unknown", value=args[0], examples=TIMEZONE_EXAMPLES)
        for person in people:
            old_tz = deps.tz_of(person.timezone)
            person.timezone = name
            await departure_plans.retime_parent_follow_ups(deps, store, person, old_tz)
    text = deps.texts.render(
        "parent_settings_timezone",
        parent.locale,
        changed=bool(args),
        timezone=parent.timezone,
        now=_clock(deps, parent, now),
        examples=TIMEZONE_EXAMPLES,
    )
    return Outcome.reply(text)


async def workhours_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/workhours mon-sat 08:00-20:00; sun 10:00-14:00`, `/workhours off`, or `/workhours`."""
    parent, now = people[0], deps.clock.now()
    spec = " ".join(args).strip()
    if spec:
        hours = None if spec.casefold() == "off" else _valid_work_hours(deps, spec)
        for person in people:
            person.work_hours = hours
            await departure_plans.retime_parent_follow_ups(
                deps, store, person, deps.tz_of(person.timezone)
            )
    text = deps.texts.render(
        "parent_settings_workhours",
        parent.locale,
        changed=bool(spec),
        windows=parent.work_hours.split("; ") if parent.work_hours else [],
        timezone=parent.timezone,
        quiet="; ".join(deps.settings.quiet_times.format()),
        next_free=_clock(deps, parent, adult_good_hour(deps, parent, now)),
    )
    return Outcome.reply(text)


def _valid_work_hours(deps: Deps, spec: str) -> str:
    try:
        hours = parse_work_hours(spec)
    except ValueError:
        raise UserError("workhours_usage") from None
    if leaves_no_time(deps.settings.quiet_times, hours):
        raise UserError("workhours_no_time", quiet="; ".join(deps.settings.quiet_times.format()))
    return hours


async def reminders_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/reminders on|off` for every child's nudges; `/reminders` shows where they stand."""
    parent, now = people[0], deps.clock.now()
    ids = [person.id for person in people]
    choice = args[0].casefold() if len(args) == 1 else None
    if args and choice not in ("on", "off"):
        raise UserError("reminders_usage")
    if choice is None:
        plans = await store.nudges.plans_of(ids)
    else:
        plans = await nudge_controls.set_reminders(store, ids, choice == "on", now)
    if not plans:
        state = "none"  # a carer at home: nudges are for parents living away
    else:
        state = "on" if any(not plan.nudges_stopped for plan in plans) else "off"
    upcoming = nudge_controls.next_reminder(deps, parent, plans) if state == "on" else None
    text = deps.texts.render(
        "parent_settings_reminders",
        parent.locale,
        state=state,
        changed=choice is not None,
        days=min((plan.cadence_days for plan in plans), default=0),
        next=_clock(deps, parent, upcoming) if upcoming else None,
    )
    return Outcome.reply(text)
