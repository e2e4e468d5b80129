"""Enrolment and consent through the core, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.adapters.db.models import ChildProfile, Invite
from bot.adapters.db.store import Store
from bot.domain.people import LinkKind, Role
from bot.services.entry import router
from bot.services.outcome import Sender
from bot.services.people.enrolment import InviteRequest
from tests.helpers import button_data, child_request, enrol_consented_child, invite, sender


async def test_invite_is_stored_hashed_and_single_use(core):
    code = await invite(core, child_request())
    async with core.deps.stores.sessions() as session:
        stored = (await session.scalars(select(Invite))).one()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    first = await router.handle_start(core.deps, sender(1001), code)
    assert len(first.replies) == 2  # welcome, then the child's own "shall we start?"
    again = await router.handle_start(core.deps, sender(1002), code)
    wrong = await router.handle_start(core.deps, sender(1003), "A" * 22)
    assert again.replies[0].text == wrong.replies[0].text  # used and wrong look the same


async def test_expired_invite_reveals_nothing(core, clock):
    code = await invite(core, child_request())
    clock.advance(days=15)
    expired = await router.handle_start(core.deps, sender(1001), code)
    garbage = await router.handle_start(core.deps, sender(1001), "not a code at all")
    assert expired.replies[0].text == garbage.replies[0].text
    assert not expired.replies[0].buttons


async def test_unknown_user_gets_generic_reply_everywhere(core):
    stranger = sender(9999)
    texts = {
        (await router.handle_command(core.deps, stranger, "invite", "child x")).replies[0].text,
        (await router.handle_command(core.deps, stranger, "help", "")).replies[0].text,
        (await router.handle_text(core.deps, stranger, "hello")).replies[0].text,
        (await router.handle_start(core.deps, stranger, None)).replies[0].text,
    }
    assert len(texts) == 1
    tap = await router.handle_button(core.deps, stranger, "c:1:mood:3")
    assert tap.toast and not tap.edit


async def test_checkins_start_only_after_consent_and_assent(core, clock):
    code = await invite(core, child_request())
    welcome = await router.handle_start(core.deps, sender(1001), code)
    assent = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(1001), assent)
    async with core.deps.stores.sessions() as session:
        profile = (await session.scalars(select(ChildProfile))).one()
        assert profile.next_checkin_at is None  # the guardian has not agreed yet
    parent_code = await invite(core, InviteRequest(Role.PARENT, child="xiaoming"))
    parent = await router.handle_start(core.deps, sender(2001), parent_code)
    decline = next(d for d in button_data(parent, 1) if d.endswith(":n"))
    await router.handle_button(core.deps, sender(2001), decline)
    async with core.deps.stores.sessions() as session:
        assert not (await Store(session).people.consent_state(profile.person_id)).guardian
    agree = decline[:-1] + "y"
    await router.handle_button(core.deps, sender(2001), agree)
    async with core.deps.stores.sessions() as session:
        profile = (await session.scalars(select(ChildProfile))).one()
    # Monday 10:00 in Shanghai -> first check-in Monday 17:30 local = 09:30 UTC.
    assert profile.next_checkin_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def test_forged_consent_button_from_another_parent_does_nothing(core):
    child_id = await enrol_consented_child(core)
    other_code = await invite(core, child_request("xiaohong"))
    await router.handle_start(core.deps, sender(1002), other_code)
    stranger_parent = await invite(core, InviteRequest(Role.PARENT, child="xiaohong"))
    await router.handle_start(core.deps, sender(2002), stranger_parent)
    forged = await router.handle_button(core.deps, sender(2002), f"g:{child_id}:n")
    assert forged.edit is None and forged.toast


async def test_paper_consent_by_coordinator(core):
    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    code = await invite(core, child_request())
    welcome = await router.handle_start(core.deps, sender(1001), code)
    await router.handle_button(core.deps, sender(1001), button_data(welcome, 1)[0])
    result = await router.handle_command(core.deps, sender(5001), "consent", "XiaoMing")
    assert "17:30" in result.replies[0].text


async def test_coordinator_invites_in_chat_and_children_cannot(core):
    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    made = await router.handle_command(
        core.deps, sender(5001), "invite", "child xiaohong 7-9 relatives"
    )
    assert "https://t.me/tongban_test_bot?start=" in made.replies[0].text
    bad = await router.handle_command(core.deps, sender(5001), "invite", "child x 99")
    assert "7-9" in bad.replies[0].text  # usage names the age bands
    await enrol_consented_child(core)
    refused = await router.handle_command(core.deps, sender(1001), "invite", "coordinator Me")
    assert "https://" not in refused.replies[0].text


async def test_staff_account_cannot_swallow_a_child_invite(core):
    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    code = await invite(core, child_request())
    opened = await router.handle_start(core.deps, sender(5001), code)
    assert "https://" not in opened.replies[0].text
    still_valid = await router.handle_start(core.deps, sender(1001), code)
    assert len(still_valid.replies) == 2


async def test_two_children_on_one_grandparent_phone(core):
    await enrol_consented_child(core, "xiaoming", child_tg=1001)
    code = await invite(core, child_request("xiaohong"))
    welcome = await router.handle_start(core.deps, sender(1001), code)
    assert welcome.replies[1].buttons  # the second child's own assent question
    async with core.deps.stores.sessions() as session:
        people = await Store(session).people.people_on_account(1001)
    assert [p.display_name for p in people] == ["xiaoming", "xiaohong"]


async def test_volunteer_assignment(core, clock):
    coordinator = await invite(core, InviteRequest(Role.COORDINATOR, name="Li"))
    await router.handle_start(core.deps, sender(5001), coordinator)
    await enrol_consented_child(core)
    await invite(core, child_request("xiaohong"))
    vol = await invite(core, InviteRequest(Role.VOLUNTEER, child="xiaoming", name="Wang"))
    welcome = await router.handle_start(core.deps, sender(3001), vol)
    assert "xiaoming" in welcome.replies[0].text
    done = await router.handle_command(core.deps, sender(5001), "assign", "Wang xiaohong")
    assert "xiaohong" in done.replies[0].text
    missing = await router.handle_command(core.deps, sender(5001), "assign", "Zhao xiaohong")
    assert "Zhao" in missing.replies[0].text
    assert clock.now() < datetime(2026, 11, 24, tzinfo=UTC) + timedelta(days=1)


async def test_a_parent_invited_without_a_name_takes_their_telegram_name(core):
    await router.handle_start(core.deps, sender(1001), await invite(core, child_request()))
    code = await invite(core, InviteRequest(Role.PARENT, child="xiaoming"))
    mum = Sender(user_id=2001, chat_id=2001, first_name="Lan", language_code="en")
    await router.handle_start(core.deps, mum, code)
    async with core.deps.stores.sessions() as session:
        (parent,) = await Store(session).people.people_on_account(2001)
    assert parent.display_name == "Lan"


async def test_a_carer_is_family_but_not_a_parent_far_away(core):
    await router.handle_start(core.deps, sender(1001), await invite(core, child_request()))
    code = await invite(core, InviteRequest.of("carer", child="xiaoming", name="Nainai"))
    await router.handle_start(core.deps, sender(2002, "en"), code)
    async with core.deps.stores.sessions() as session:
        (carer,) = await Store(session).people.people_on_account(2002)
        assert [c.display_name for c in await Store(session).people.family_children(carer.id)] == [
            "xiaoming"
        ]
        far = await Store(session).people.linked_children(carer.id, LinkKind.PARENT)
    assert carer.role == "parent" and not far
    words = await router.handle_text(core.deps, sender(2002, "en"), "Hello")
    assert "I work with commands" in words.replies[0].text  # a carer's words are not relayed
