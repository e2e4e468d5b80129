"""Through Telegram: a child who opens a parent's or carer's link on their own account is not
taken for the adult, gives no consent, and the adult's link still works afterwards."""

from __future__ import annotations

from sqlalchemy import select

from bot.adapters.db.models import Consent, Person
from tests.e2e.conftest import Harness, invite_code
from tests.e2e.test_journey import _until, bootstrap_coordinator

CHILD_TG, PARENT_TG, CARER_TG = 1001, 2001, 2002


async def test_a_childs_account_cannot_take_a_parent_or_carer_invite(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    made = await h.command(coordinator, "/invite child xiaoming 10-12 grandparents", "t.me")
    child = h.emulator.user(CHILD_TG, first_name="Ming", language_code="en")
    await child.send_command("start", invite_code(made.text))
    await child.wait_until(lambda m: bool(m.buttons()))
    await child.tap_button("OK")
    await child.wait_until(lambda m: "once a parent" in (m.text or ""))

    parent_link = invite_code(
        (await h.command(coordinator, "/invite parent xiaoming Mum", "t.me")).text
    )
    carer_link = invite_code(
        (await h.command(coordinator, "/invite carer xiaoming Nainai", "t.me")).text
    )
    for link in (parent_link, carer_link):
        refused = await h.command(child, f"/start {link}", "grown-up")
        assert "does not work on your account" in refused.text and not refused.buttons()
    async with h.core.deps.stores.sessions() as session:
        on_phone = (
            await session.scalars(select(Person).where(Person.telegram_id == CHILD_TG))
        ).all()
        child_id = on_phone[0].id
    assert [p.role for p in on_phone] == ["child"]
    query = await child.tap(f"g:{child_id}:y", refused.message_id)  # a forged "yes"
    await _until(lambda: any(a["query_id"] == query for a in child.callback_answers))
    (answer,) = [a for a in child.callback_answers if a["query_id"] == query]
    assert answer["text"] == h.core.deps.texts.label("button_unknown", "en")  # her language

    parent = h.emulator.user(PARENT_TG, first_name="Mum", language_code="en")
    await parent.send_command("start", parent_link)
    consent = await parent.wait_until(lambda m: bool(m.buttons()))
    assert "Consent for xiaoming" in consent.text
    async with h.core.deps.stores.sessions() as session:
        assert (
            await session.scalars(select(Consent).where(Consent.kind == "guardian"))
        ).all() == []
    await parent.tap_button("Yes")
    await parent.wait_until(lambda m: "first one comes" in (m.text or ""))
    carer = h.emulator.user(CARER_TG, first_name="Nainai", language_code="en")
    welcome = await h.join(carer, carer_link)
    assert "parent of xiaoming" in welcome.text  # the carer's link worked too

    async with h.core.deps.stores.sessions() as session:
        (given,) = (await session.scalars(select(Consent).where(Consent.kind == "guardian"))).all()
    assert given.from_account == PARENT_TG and given.from_role == "parent"
    record = await h.command(coordinator, "/child xiaoming", "Guardian consent")
    assert "given by Mum (parent) with a button in the chat" in record.text
    assert "Child's assent: given by xiaoming (child)" in record.text
