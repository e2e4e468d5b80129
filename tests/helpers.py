"""Small builders shared by integration and end-to-end tests."""

from __future__ import annotations

from sqlalchemy import select

from bot.adapters.db.models import Checkin, Outbox
from bot.bootstrap import Core
from bot.domain.invites import looks_like_code
from bot.domain.people import Role
from bot.services import router
from bot.services.enrolment import InviteRequest, create_invite
from bot.services.outcome import Outcome, Sender


def sender(user_id: int, language_code: str | None = "zh-hans") -> Sender:
    return Sender(user_id=user_id, chat_id=user_id, first_name="T", language_code=language_code)


async def invite(core: Core, request: InviteRequest) -> str:
    async with core.deps.sessions.begin() as session:
        issued = await create_invite(core.deps, session, request, None)
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
    core: Core, nickname: str = "xiaoming", child_tg: int = 1001, parent_tg: int = 2001
) -> int:
    """A child who joined, said yes, and whose parent agreed in chat; returns the child's id."""
    code = await invite(core, child_request(nickname))
    welcome = await router.handle_start(core.deps, sender(child_tg), code)
    assent_yes = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(child_tg), assent_yes)
    parent_code = await invite(core, InviteRequest(Role.PARENT, child=nickname, name="Mum"))
    parent_welcome = await router.handle_start(core.deps, sender(parent_tg), parent_code)
    consent_yes = next(d for d in button_data(parent_welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(parent_tg), consent_yes)
    return int(assent_yes.split(":")[1])


async def outbox_rows(core: Core) -> list[Outbox]:
    async with core.deps.sessions() as session:
        return list((await session.scalars(select(Outbox).order_by(Outbox.id))).all())


async def checkins_of(core: Core, child_id: int) -> list[Checkin]:
    async with core.deps.sessions() as session:
        result = await session.scalars(
            select(Checkin).where(Checkin.child_id == child_id).order_by(Checkin.id)
        )
        return list(result.all())
