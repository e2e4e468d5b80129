"""One phone, several people: a sibling's words stay with that sibling; staff and family never
share an account."""

from __future__ import annotations

from sqlalchemy import select

from bot.adapters.db.models import Alert, Answer, Checkin, Relay
from bot.domain.people import Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from tests.helpers import (
    checkins_of,
    enrol_consented_child,
    invite,
    next_checkin,
    outbox_rows,
    sender,
    staff,
)

PHONE = 1001  # grandma's phone, shared by two cousins with a far parent each


async def _answer_up_to_words(core, checkin) -> None:
    for step, value in [("mood", 3), ("companionship", 2), ("left_out", 2), ("alone", 2)]:
        tapped = await router.handle_button(
            core.deps, sender(PHONE), f"c:{checkin.id}:{step}:{value}"
        )
        assert tapped.toast
    async with core.deps.stores.sessions() as session:
        assert (await session.get(Checkin, checkin.id)).step == "words"


async def _words_of(core, checkin_id: int) -> list[str | None]:
    async with core.deps.stores.sessions() as session:
        rows = await session.scalars(
            select(Answer).where(Answer.checkin_id == checkin_id, Answer.question == "words")
        )
        return [row.text for row in rows]


async def test_a_siblings_check_in_words_never_go_to_the_other_childs_parent(core, clock):
    ming = await enrol_consented_child(core, "xiaoming", child_tg=PHONE, parent_tg=2001)
    hong = await enrol_consented_child(core, "xiaohong", child_tg=PHONE, parent_tg=2002)
    hongs = await next_checkin(core, clock, hong)
    await _answer_up_to_words(core, hongs)
    await router.handle_text(core.deps, sender(2001), "hello from mum")  # to xiaoming
    async with core.deps.stores.sessions() as session:
        letter = (await session.scalars(select(Relay).where(Relay.recipient_id == ming))).one()
    await router.handle_button(core.deps, sender(PHONE), f"q:{letter.id}:write")
    # xiaohong now types the words her own check-in is waiting for
    await router.handle_text(core.deps, sender(PHONE), "my private words")
    async with core.deps.stores.sessions() as session:
        sent = (
            await session.scalars(select(Relay).where(Relay.sender_id.in_([ming, hong])))
        ).all()
    assert sent == []
    assert await _words_of(core, hongs.id) == ["my private words"]


async def test_a_reply_to_a_siblings_check_in_is_not_stored_on_the_waiting_one(core, clock):
    await staff(core, Role.COORDINATOR, "Li", 5001)
    ming = await enrol_consented_child(core, "xiaoming", child_tg=PHONE, parent_tg=2001)
    hong = await enrol_consented_child(core, "xiaohong", child_tg=PHONE, parent_tg=2002)
    await staff(core, Role.VOLUNTEER, "Wang", 3001, child="xiaoming")
    await staff(core, Role.VOLUNTEER, "Zhao", 3002, child="xiaohong")
    mings = await next_checkin(core, clock, ming)
    hongs = (await checkins_of(core, hong))[-1]
    assert hongs.status == "open"
    await _answer_up_to_words(core, mings)  # xiaoming waits for words, xiaohong is at step one
    async with core.deps.stores.sessions.begin() as session:
        (await session.get(Checkin, hongs.id)).message_id = 777  # her check-in's message
    await router.handle_text(core.deps, sender(PHONE), "i want to kill myself", reply_to=777)
    assert await _words_of(core, mings.id) == []
    async with core.deps.stores.sessions() as session:
        alerted = {a.child_id for a in (await session.scalars(select(Alert))).all()}
    assert hong in alerted  # not knowing who wrote, every child on the phone is screened
    told = {r.chat_id for r in await outbox_rows(core) if r.kind == "alert"}
    assert 3002 in told


async def test_a_volunteer_invite_opened_on_a_childs_phone_is_refused(core, clock):
    await staff(core, Role.COORDINATOR, "Li", 5001)
    await enrol_consented_child(core, "xiaoming", child_tg=PHONE, parent_tg=2001)
    await enrol_consented_child(core, "xiaohong", child_tg=1002, parent_tg=2002)
    code = await invite(core, InviteRequest(Role.VOLUNTEER, child="xiaohong", name="Wang"))
    opened = await router.handle_start(core.deps, sender(PHONE), code)
    refused = core.deps.texts.render("error", "zh_CN", reason="invite_for_someone_else")
    assert opened.replies[0].text == refused
    caseload = await router.handle_command(core.deps, sender(PHONE), "mychildren", "")
    assert "xiaohong" not in caseload.replies[0].text
    # the link still works for the volunteer it was meant for
    welcomed = await router.handle_start(core.deps, sender(3001, "en"), code)
    assert "xiaohong" in welcomed.replies[0].text
