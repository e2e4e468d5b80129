"""Small builders shared by integration and end-to-end tests."""

from __future__ import annotations

from sqlalchemy import select

from bot.adapters.db.models import Checkin, Outbox
from bot.adapters.db.store import Store
from bot.bootstrap import Core
from bot.domain.invites import looks_like_code
from bot.domain.people import Role
from bot.services.entry import router
from bot.services.outcome import Outcome, Sender
from bot.services.people.enrolment import InviteRequest, create_invite


def sender(user_id: int, language_code: str | None = "zh-hans") -> Sender:
    return Sender(user_id=user_id, chat_id=user_id, first_name="T", language_code=language_code)


async def invite(core: Core, request: InviteRequest) -> str:
    async with core.deps.stores.sessions.begin() as session:
        issued = await create_invite(core.deps, Store(session), request, None)
    code = issued.link.rsplit("=", 1)[1]
    assert looks_like_code(code)
    return code


def child_request(nickname: str = "xiaoming") -> InviteRequest:
    return InviteRequest(Role.CHILD, name=nickname, age_band="10-12", guardianship="grandparents")


def button_data(outcome: Outcome, index: int = 0) -> list[str]:
    """Callback data of every button on reply `index` (or on the edit when index is -1)."""
    message = outcome.edit if index == -1 else outcome.replies[index]
    assert message is not None
    return [button.data for row in message.buttons for button in row]


async def enrol_consented_child(
    core: Core,
    nickname: str = "xiaoming",
    child_tg: int = 1001,
    parent_tg: int = 2001,
    parent_language: str = "zh-hans",
) -> int:
    """A child who joined, said yes, and whose parent agreed in chat; returns the child's id.

    `parent_language` "en" makes the parent read English (the program's default is zh_CN).
    """
    code = await invite(core, child_request(nickname))
    welcome = await router.handle_start(core.deps, sender(child_tg), code)
    assent_yes = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(child_tg), assent_yes)
    parent_code = await invite(core, InviteRequest(Role.PARENT, child=nickname, name="Mum"))
    parent_welcome = await router.handle_start(
        core.deps, sender(parent_tg, parent_language), parent_code
    )
    consent_yes = next(d for d in button_data(parent_welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(parent_tg), consent_yes)
    return int(assent_yes.split(":")[1])


async def outbox_rows(core: Core) -> list[Outbox]:
    async with core.deps.stores.sessions() as session:
        return list((await session.scalars(select(Outbox).order_by(Outbox.id))).all())


async def durable_replies(core: Core, chat_id: int) -> list[str]:
    """What the core queued to arrive in this chat whatever Telegram does (the hotlines after a
    crisis), oldest first."""
    rows = await outbox_rows(core)
    return [r.body["text"] for r in rows if r.kind == "durable_reply" and r.chat_id == chat_id]


async def checkins_of(core: Core, child_id: int) -> list[Checkin]:
    async with core.deps.stores.sessions() as session:
        result = await session.scalars(
            select(Checkin).where(Checkin.child_id == child_id).order_by(Checkin.id)
        )
        return list(result.all())


async def next_checkin(core: Core, clock, child_id: int) -> Checkin:
    """Move the fake clock to the child's next scheduled check-in and open it."""
    from bot.adapters.db.models import ChildProfile
    from bot.services.tick import collect_due

    async with core.deps.stores.sessions() as session:
        profile = await session.get(ChildProfile, child_id)
        due = profile.next_checkin_at
    clock.set(due)
    await collect_due(core.deps)
    return (await checkins_of(core, child_id))[-1]


async def answer_checkin(
    core: Core, clock, child_id: int, child_tg: int, mood: int, items: tuple[int, int, int]
) -> Checkin:
    """Open the child's next check-in and tap through it, skipping the words."""
    checkin = await next_checkin(core, clock, child_id)
    me = sender(child_tg)
    taps = [("mood", mood), *zip(("companionship", "left_out", "alone"), items, strict=True)]
    for step, value in [*taps, ("words", -1)]:
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    return checkin


async def very_lonely_twice(
    core: Core, clock, child_id: int, child_tg: int = 1001, mood: int = 2
) -> None:
    """Eight calm check-ins (a level rule waits for the child's usual), then 9 of 9 twice:
    the high-loneliness alert (bot/domain/detection/params.py)."""
    for _ in range(8):
        await answer_checkin(core, clock, child_id, child_tg, mood=4, items=(1, 1, 1))
    for _ in range(2):
        await answer_checkin(core, clock, child_id, child_tg, mood=mood, items=(3, 3, 3))


async def miss_checkin(core: Core, clock, child_id: int) -> None:
    """Open the child's next check-in and let it expire unanswered."""
    from datetime import timedelta

    from bot.services.tick import collect_due

    checkin = await next_checkin(core, clock, child_id)
    clock.set(checkin.expires_at + timedelta(seconds=1))
    await collect_due(core.deps)


async def staff(core: Core, role: Role, name: str, tg: int, child: str | None = None) -> None:
    """Enrol a coordinator, or a volunteer for `child`, and have them join."""
    code = await invite(core, InviteRequest(role, name=name, child=child or ""))
    await router.handle_start(core.deps, sender(tg, "en"), code)


VOLUNTEER_TG, COORDINATOR_TG = 3001, 5001


async def program_with_volunteer(core: Core) -> int:
    """A coordinator, the child xiaoming (consented) and the volunteer Wang for her."""
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR_TG)
    child_id = await enrol_consented_child(core)
    await staff(core, Role.VOLUNTEER, "Wang", VOLUNTEER_TG, child="xiaoming")
    return child_id


async def all_alerts(core: Core) -> list:
    from bot.adapters.db.models import Alert

    async with core.deps.stores.sessions() as session:
        return list((await session.scalars(select(Alert).order_by(Alert.id))).all())


def alert_rows(rows: list[Outbox], chat_id: int) -> list[Outbox]:
    return [r for r in rows if r.kind == "alert" and r.chat_id == chat_id]
