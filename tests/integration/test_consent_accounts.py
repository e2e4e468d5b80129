"""A child's account never takes an adult's role, a guardian's consent never comes from an
account that holds a child, and each consent says from which account and how it was given."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.adapters.db.models import Consent, Invite, Person
from bot.adapters.db.store import Store
from bot.domain.people import Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    button_data,
    child_request,
    enrol_consented_child,
    invite,
    sender,
    staff,
)

CHILD_TG, PARENT_TG = 1001, 2001
ADULT_INVITES = [
    pytest.param(InviteRequest(Role.PARENT, child="xiaoming", name="Mum"), id="parent"),
    pytest.param(InviteRequest.of("carer", child="xiaoming", name="Nainai"), id="carer"),
]


async def _child_joins(core, nickname: str = "xiaoming", tg: int = CHILD_TG) -> int:
    welcome = await router.handle_start(
        core.deps, sender(tg, "en"), await invite(core, child_request(nickname))
    )
    assent_yes = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(tg, "en"), assent_yes)
    return int(assent_yes.split(":")[1])


async def _guardian_consents(core, child_id: int) -> list[Consent]:
    async with core.deps.stores.sessions() as session:
        rows = await session.scalars(
            select(Consent).where(Consent.child_id == child_id, Consent.kind == "guardian")
        )
        return list(rows.all())


async def _roles_on(core, tg: int) -> list[str]:
    async with core.deps.stores.sessions() as session:
        return [p.role for p in await Store(session).people.people_on_account(tg)]


@pytest.mark.parametrize("request_", ADULT_INVITES)
async def test_a_childs_account_cannot_take_an_adult_invite_and_the_adult_still_can(
    core, request_
):
    child_id = await _child_joins(core)
    code = await invite(core, request_)
    opened = await router.handle_start(core.deps, sender(CHILD_TG, "en"), code)
    (reply,) = opened.replies
    assert "for a grown-up in your family" in reply.text and not reply.buttons
    assert await _roles_on(core, CHILD_TG) == ["child"]
    async with core.deps.stores.sessions() as session:
        used = (await session.scalars(select(Invite).where(Invite.used_at.is_not(None)))).all()
    assert len(used) == 1  # only the child's own; the refusal did not spend the adult's link
    # the real adult's link still works, and only their tap gives consent
    welcome = await router.handle_start(core.deps, sender(PARENT_TG, "en"), code)
    assert len(welcome.replies) == 2 and button_data(welcome, 1)
    assert await _guardian_consents(core, child_id) == []
    forged = await router.handle_button(core.deps, sender(CHILD_TG, "en"), f"g:{child_id}:y")
    assert forged.edit is None and await _guardian_consents(core, child_id) == []
    agree = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(PARENT_TG, "en"), agree)
    (given,) = await _guardian_consents(core, child_id)
    assert given.from_account == PARENT_TG


async def test_a_childs_account_cannot_become_an_adult_for_another_child(core):
    await _child_joins(core, "xiaoming")
    await router.handle_start(
        core.deps, sender(1002, "en"), await invite(core, child_request("xiaohong"))
    )
    code = await invite(core, InviteRequest(Role.PARENT, child="xiaohong", name="Dad"))
    opened = await router.handle_start(core.deps, sender(CHILD_TG, "en"), code)
    assert "for a grown-up in your family" in opened.replies[0].text
    assert await _roles_on(core, CHILD_TG) == ["child"]
    assert len((await router.handle_start(core.deps, sender(PARENT_TG, "en"), code)).replies) == 2


async def test_an_adults_account_cannot_take_a_child_invite_and_the_child_still_can(core):
    await router.handle_start(
        core.deps, sender(CHILD_TG, "en"), await invite(core, child_request())
    )
    carer = await invite(core, InviteRequest.of("carer", child="xiaoming", name="Nainai"))
    await router.handle_start(core.deps, sender(PARENT_TG, "en"), carer)
    code = await invite(core, child_request("xiaohong"))
    opened = await router.handle_start(core.deps, sender(PARENT_TG, "en"), code)
    assert "This link is for a child" in opened.replies[0].text
    assert await _roles_on(core, PARENT_TG) == ["parent"]
    welcome = await router.handle_start(core.deps, sender(1002, "en"), code)
    assert len(welcome.replies) == 2  # the child's own welcome and assent question


async def _share_one_account(core, child_id: int) -> None:
    """An adult and a child on one account, as data made before the rule may hold."""
    await router.handle_start(
        core.deps,
        sender(PARENT_TG, "en"),
        await invite(core, InviteRequest.of("carer", child="xiaoming", name="Nainai")),
    )
    async with core.deps.stores.sessions.begin() as session:
        child = await session.get(Person, child_id)
        child.telegram_id = PARENT_TG


async def test_guardian_consent_from_an_account_holding_a_child_is_refused(core):
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR_TG)
    child_id = await _child_joins(core)
    await _share_one_account(core, child_id)
    again = await router.handle_start(core.deps, sender(PARENT_TG, "en"), None)
    texts = " ".join(m.text for m in again.replies)
    assert "paper consent form" in texts
    assert not any(b for m in again.replies for b in m.buttons if b.data.startswith("g:"))
    tapped = await router.handle_button(core.deps, sender(PARENT_TG, "en"), f"g:{child_id}:y")
    assert tapped.edit is not None and "paper consent form" in tapped.edit.text
    assert await _guardian_consents(core, child_id) == []
    # the social worker's paper form is the way, and says who recorded it from where
    await router.handle_command(core.deps, sender(COORDINATOR_TG), "consent", "xiaoming")
    (paper,) = await _guardian_consents(core, child_id)
    assert paper.method == "paper" and paper.from_account == COORDINATOR_TG


async def test_coordinator_sees_from_which_account_and_how_each_consent_was_given(core):
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR_TG)
    await enrol_consented_child(core, parent_language="en")
    await staff(core, Role.VOLUNTEER, "Wang", VOLUNTEER_TG, child="xiaoming")
    async with core.deps.stores.sessions() as session:
        rows = {c.kind: c for c in (await session.scalars(select(Consent))).all()}
        (mum,) = await Store(session).people.adult_by_name(Role.PARENT, "Mum")
    assert rows["guardian"].from_account == PARENT_TG and rows["guardian"].from_role == "parent"
    assert rows["guardian"].method == "chat" and rows["guardian"].recorded_by == mum.id
    assert rows["assent"].from_account == CHILD_TG and rows["assent"].from_role == "child"

    record = await router.handle_command(
        core.deps, sender(COORDINATOR_TG, "en"), "child", "xiaoming"
    )
    text = record.replies[0].text
    assert "Guardian consent: given by Mum (parent) with a button in the chat" in text
    assert "Child's assent: given by xiaoming (child) with a button in the chat" in text
    parent_ref = text.split("Guardian consent:")[1].split("account ")[1].split()[0]
    child_ref = text.split("Child's assent:")[1].split("account ")[1].split()[0]
    assert parent_ref != child_ref and str(PARENT_TG) not in text and str(CHILD_TG) not in text

    seen = await router.handle_command(core.deps, sender(VOLUNTEER_TG, "en"), "child", "xiaoming")
    assert "xiaoming" in seen.replies[0].text and "consent" not in seen.replies[0].text.lower()

    await router.handle_command(core.deps, sender(COORDINATOR_TG), "consent", "xiaoming withdraw")
    await router.handle_command(core.deps, sender(COORDINATOR_TG), "consent", "xiaoming")
    record = await router.handle_command(
        core.deps, sender(COORDINATOR_TG, "en"), "child", "xiaoming"
    )
    text = record.replies[0].text
    assert "signed paper form, recorded by coordinator Li" in text
    assert "withdrawn" in text  # the chat consent stays in the history, marked withdrawn
