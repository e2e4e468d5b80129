"""Coordinator commands in chat: invites, volunteer assignment, paper consent, ad-hoc check-ins."""

from __future__ import annotations

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.people import LinkKind, Role
from bot.domain.schedule import DAY_NAMES, WeeklySchedule, schedule_conflicts
from bot.services.checkins.scheduling import refresh_schedule
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Message, Outcome, Sender
from bot.services.people import consent_flow
from bot.services.people.enrolment import InviteRequest, create_invite

INVITE_SHAPES = {
    "child": ("name", "age_band", "guardianship"),
    "parent": ("child", "name"),
    "carer": ("child", "name"),
    "volunteer": ("child", "name"),
    "coordinator": ("name",),
}


def parse_invite_args(args: list[str]) -> InviteRequest:
    """`child NICK AGE GUARDIANSHIP` | `parent NICK [NAME]` | `volunteer NICK [NAME]` | ..."""
    if not args or args[0] not in INVITE_SHAPES:
        raise UserError("invite_usage")
    role, rest = args[0], args[1:]
    fields = INVITE_SHAPES[role]
    required = 1 if role != "child" else 3
    if len(rest) < required or len(rest) > len(fields):
        raise UserError("invite_usage")
    return InviteRequest.of(role, **dict(zip(fields, rest, strict=False)))


async def invite_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    coordinator = people[0]
    issued = await create_invite(deps, store, parse_invite_args(args), coordinator.id)
    text = deps.texts.render(
        "invite_created",
        coordinator.locale,
        role=issued.role.value,
        name=issued.name,
        link=issued.link,
        expires=local_time(deps, issued.expires_at, coordinator.timezone, coordinator.locale),
    )
    return Outcome.reply(text)


async def assign_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    if len(args) != 2:
        raise UserError("assign_usage")
    volunteer_name, nickname = args
    volunteers = await store.people.adult_by_name(Role.VOLUNTEER, volunteer_name)
    if len(volunteers) != 1:
        reason = "volunteer_not_found" if not volunteers else "volunteer_ambiguous"
        raise UserError(reason, name=volunteer_name)
    found = await store.people.child_by_nickname(nickname)
    if found is None:
        raise UserError("child_not_found", nickname=nickname)
    child, _ = found
    now = deps.clock.now()
    await store.people.add_link(LinkKind.VOLUNTEER, volunteers[0].id, child.id, now)
    return Outcome.reply(
        deps.texts.render(
            "assigned",
            people[0].locale,
            volunteer=volunteers[0].display_name,
            child=child.display_name,
        )
    )


async def consent_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/consent NICK` records a signed paper form; `/consent NICK withdraw` withdraws it."""
    if len(args) == 2 and args[1] == "withdraw":
        return Outcome.reply(await consent_flow.withdraw_guardian(deps, store, people[0], args[0]))
    if len(args) != 1:
        raise UserError("consent_usage")
    text = await consent_flow.paper_consent(deps, store, people[0], args[0])
    return Outcome.reply(text)


async def checkin_now_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """Ask for a check-in now for one child or all; the tick opens them at an allowed moment.

    Only children who may receive check-ins are flagged; a child whose check-in is still open
    keeps that one.
    """
    if len(args) != 1:
        raise UserError("checkin_now_usage")
    now = deps.clock.now()
    if args[0].casefold() == "all":
        requested = await store.checkins.request_adhoc(now, None)
        total = await store.checkins.count_children()
    else:
        found = await store.people.child_by_nickname(args[0])
        if found is None:
            raise UserError("child_not_found", nickname=args[0])
        requested = await store.checkins.request_adhoc(now, found[0].id)
        total = 1
    text = deps.texts.render(
        "checkin_now_done", people[0].locale, requested=requested, skipped=total - requested
    )
    return Outcome(replies=[Message(text)], due_now=True)


async def schedule_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/schedule NICK mon,wed,fri 17:30`: a child's own weekly check-in times."""
    if len(args) != 3:
        raise UserError("schedule_usage")
    found = await store.people.child_by_nickname(args[0])
    if found is None:
        raise UserError("child_not_found", nickname=args[0])
    child, profile = found
    try:
        schedule = WeeklySchedule.parse(f"{args[1]} {args[2]}")
    except ValueError:
        raise UserError("schedule_usage") from None
    clashes = schedule_conflicts(schedule, deps.settings.blocked_times)
    if clashes:
        raise UserError("schedule_blocked", days=", ".join(DAY_NAMES[d] for d in clashes))
    profile.schedule = schedule.format()
    profile.next_checkin_at = None
    when = await refresh_schedule(deps, store, child, profile)
    coordinator = people[0]
    text = deps.texts.render(
        "schedule_set",
        coordinator.locale,
        child=child.display_name,
        schedule=profile.schedule,
        first=local_time(deps, when, child.timezone, coordinator.locale) if when else None,
    )
    return Outcome.reply(text)
