"""Agreed weekly calls through the core, on SQLite and PostgreSQL: proposing, agreeing or asking
for another time, reminders, the child's "did it happen?", and missed calls shown to volunteers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.adapters.db.models import CallRecord, ContactPlan, Outbox
from bot.adapters.db.store import Store
from bot.bootstrap import build_core
from bot.domain.people import LinkKind, Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from bot.services.tick import collect_due
from tests.conftest import SHANGHAI
from tests.helpers import invite, sender, staff
from tests.integration.test_weekly_update import CHILD_TG, PARENT_TG, family

VOLUNTEER_TG, CARER_TG = 3001, 2002
SUNDAY_1930 = datetime(2026, 11, 29, 19, 30, tzinfo=SHANGHAI)
MONDAY_1630 = datetime(2026, 11, 23, 16, 30, tzinfo=SHANGHAI)


def parent():
    return sender(PARENT_TG, "en")


def child():
    return sender(CHILD_TG, "en")


def plain(text: str) -> str:
    """Babel puts a narrow no-break space before AM/PM; tests read it as a space."""
    return text.replace("\u202f", " ")


async def call(who, *args: str) -> str:
    outcome = await router.handle_command(who.deps, who.sender, "call", " ".join(args))
    return plain(outcome.replies[0].text)


class _As:
    def __init__(self, core, sender_):
        self.deps, self.sender = core.deps, sender_


async def rows(core, kind: str, chat_id: int | None = None) -> list[Outbox]:
    async with core.deps.stores.sessions() as session:
        query = select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id)
        if chat_id is not None:
            query = query.where(Outbox.chat_id == chat_id)
        return list((await session.scalars(query)).all())


async def the_plan(core) -> ContactPlan:
    async with core.deps.stores.sessions() as session:
        return (await session.scalars(select(ContactPlan))).one()


async def records(core) -> list[CallRecord]:
    async with core.deps.stores.sessions() as session:
        return list((await session.scalars(select(CallRecord).order_by(CallRecord.id))).all())


def buttons(row: Outbox) -> dict[str, str]:
    return {label: data for line in row.body["buttons"] for label, data in line}


def pick(row: Outbox, text: str) -> str:
    return next(data for label, data in buttons(row).items() if text in label)


async def agreed_sunday_call(core) -> None:
    mum = _As(core, parent())
    proposed = await call(mum, "sun", "19:30")
    assert "I have asked xiaoming" in proposed and "every Sunday at 7:30 PM" in proposed
    (proposal,) = await rows(core, "call_proposal", CHILD_TG)
    assert "Mum would like to call you every Sunday at 7:30 PM" in plain(proposal.body["text"])
    assert proposal.send_after == MONDAY_1630  # never during school
    tapped = await router.handle_button(core.deps, child(), pick(proposal, "Agree"))
    assert tapped.edit is not None and "Agreed" in tapped.edit.text


async def tick_at(core, clock, moment: datetime) -> None:
    clock.set(moment)
    await collect_due(core.deps)


async def test_agreed_call_is_reminded_asked_about_and_a_miss_reaches_the_volunteer(
    core, clock, settings
):
    await family(core)
    await staff(core, Role.VOLUNTEER, "Wang", VOLUNTEER_TG, child="xiaoming")
    await agreed_sunday_call(core)
    plan = await the_plan(core)
    assert plan.call_schedule == "sun 19:30" and plan.call_proposal is None
    assert plan.next_call_at == SUNDAY_1930
    (agreed,) = await rows(core, "call_agreed", PARENT_TG)
    assert "xiaoming agreed" in plain(agreed.body["text"]) and "Sun, Nov 29" in plain(
        agreed.body["text"]
    )
    shown = await call(_As(core, parent()))
    assert "every Sunday at 7:30 PM" in shown and "Next: Sun, Nov 29" in shown

    await tick_at(core, clock, SUNDAY_1930 - timedelta(minutes=31))
    assert await rows(core, "call_reminder") == []
    await tick_at(core, clock, SUNDAY_1930 - timedelta(minutes=30))
    reminders = await rows(core, "call_reminder")
    assert {r.chat_id for r in reminders} == {PARENT_TG, CHILD_TG}
    assert all(r.send_after == clock.now() for r in reminders)
    (to_child,) = [r for r in reminders if r.chat_id == CHILD_TG]
    assert "your call with Mum at 7:30 PM" in plain(to_child.body["text"])
    (record,) = await records(core)
    assert record.status == "upcoming" and record.scheduled_at == SUNDAY_1930
    assert (await the_plan(core)).next_call_at == SUNDAY_1930 + timedelta(days=7)

    restarted = await build_core(settings, clock)  # a restart repeats nothing
    try:
        await collect_due(restarted.deps)
    finally:
        await restarted.close()
    assert len(await rows(core, "call_reminder")) == 2

    await tick_at(core, clock, SUNDAY_1930 + timedelta(minutes=59))
    assert await rows(core, "call_asked") == []
    await tick_at(core, clock, SUNDAY_1930 + timedelta(hours=1))
    await collect_due(core.deps)
    (asked,) = await rows(core, "call_asked", CHILD_TG)
    assert "Did you talk with Mum" in plain(asked.body["text"])
    assert (await records(core))[0].status == "asked"

    no = pick(asked, "No")
    answered = await router.handle_button(core.deps, child(), no)
    assert answered.edit is not None and "Thank you for telling me" in answered.edit.text
    again = await router.handle_button(core.deps, child(), pick(asked, "Yes"))
    assert again.toast and "Thank you for telling me" in again.edit.text  # first answer stands
    assert (await records(core))[0].status == "missed"
    stranger = await router.handle_button(core.deps, parent(), no)
    assert stranger.toast and stranger.edit is None  # only the child answers

    volunteer = sender(VOLUNTEER_TG, "en")
    record_text = await router.handle_command(core.deps, volunteer, "child", "xiaoming")
    assert "0 happened, 1 missed, 0 not answered" in record_text.replies[0].text
    caseload = await router.handle_command(core.deps, volunteer, "mychildren", "")
    assert "missed calls with parents (4 weeks): 1" in caseload.replies[0].text


async def test_a_happy_call_and_an_unanswered_question(core, clock):
    await family(core)
    await agreed_sunday_call(core)
    await tick_at(core, clock, SUNDAY_1930 - timedelta(minutes=30))
    await tick_at(core, clock, SUNDAY_1930 + timedelta(hours=1))
    (asked,) = await rows(core, "call_asked")
    yes = await router.handle_button(core.deps, child(), pick(asked, "Yes"))
    assert "glad you talked with Mum" in yes.edit.text
    next_week = SUNDAY_1930 + timedelta(days=7)
    await tick_at(core, clock, next_week - timedelta(minutes=30))
    await tick_at(core, clock, next_week + timedelta(hours=1))
    await tick_at(core, clock, next_week + timedelta(hours=24, minutes=59))
    assert [r.status for r in await records(core)] == ["happened", "asked"]
    await tick_at(core, clock, next_week + timedelta(hours=25))
    assert [r.status for r in await records(core)] == ["happened", "unanswered"]
    _, late = await rows(core, "call_asked")
    closed = await router.handle_button(core.deps, child(), pick(late, "Yes"))
    assert "closed" in closed.edit.text
    assert (await records(core))[1].status == "unanswered"


async def test_another_time_tells_the_parent_and_an_older_proposal_changes_nothing(core, clock):
    await family(core)
    mum = _As(core, parent())
    await call(mum, "sun", "19:30")
    await call(mum, "sat", "10:00")
    first, second = await rows(core, "call_proposal", CHILD_TG)
    assert "Saturday at 10:00 AM" in plain(second.body["text"])
    stale = await router.handle_button(core.deps, child(), pick(first, "Agree"))
    assert stale.toast == "This proposal is no longer open."
    assert (await the_plan(core)).call_schedule is None
    declined = await router.handle_button(core.deps, child(), pick(second, "Another time"))
    assert "ask Mum to suggest another time" in declined.edit.text
    (told,) = await rows(core, "call_declined", PARENT_TG)
    assert "xiaoming would like another time than Saturday at 10:00 AM" in plain(told.body["text"])
    plan = await the_plan(core)
    assert plan.call_schedule is None and plan.call_proposal is None and plan.next_call_at is None
    again = await router.handle_button(core.deps, child(), pick(second, "Agree"))
    assert again.toast == "This proposal is no longer open."


async def test_times_in_school_or_at_night_and_other_peoples_children_are_refused(core, clock):
    await family(core)
    mum = _As(core, parent())
    assert "school hours or at night" in await call(mum, "mon", "10:00")
    assert "school hours or at night" in await call(mum, "sun", "22:30")
    for wrong in (("sun",), ("daily", "19:00"), ("sun", "7pm"), ("sun", "19:00", "extra")):
        assert "How to agree a weekly call" in await call(mum, *wrong)
    assert 'could not find a child called "xiaohong"' in await call(mum, "xiaohong")
    assert "How to agree" in await call(mum, "xiaohong", "sun", "19:00")
    assert "no weekly call with xiaoming to stop" in await call(mum, "off")
    assert "No weekly call with xiaoming is agreed yet" in await call(mum, "xiaoming")
    assert (await the_plan(core)).call_proposal is None
    refused = await router.handle_command(core.deps, child(), "call", "sun 19:30")
    assert "/call" not in refused.replies[0].text  # not a child's command
    async with core.deps.stores.sessions.begin() as session:  # the child blocked the bot
        await Store(session).people.mark_reachable(CHILD_TG, clock.now())
    assert "cannot reach xiaoming" in await call(mum, "sun", "19:30")
    assert (await the_plan(core)).call_proposal is None
    assert await rows(core, "call_proposal") == []


async def test_a_carer_at_home_may_agree_for_the_child(core, clock):
    await family(core)
    code = await invite(
        core, InviteRequest(Role.PARENT, child="xiaoming", name="Grandma", carer=True)
    )
    await router.handle_start(core.deps, sender(CARER_TG, "en"), code)
    grandma = _As(core, sender(CARER_TG, "en"))
    assert "no child here to call" in await call(grandma, "sun", "19:30")
    proposed = await call(_As(core, parent()), "sun", "19:30")
    assert "xiaoming, Grandma" in proposed
    (to_carer,) = await rows(core, "call_proposal", CARER_TG)
    assert "with xiaoming every Sunday at 7:30 PM (xiaoming's time)" in plain(
        to_carer.body["text"]
    )
    agreed = await router.handle_button(core.deps, grandma.sender, pick(to_carer, "Agree"))
    assert "Agreed" in agreed.edit.text
    (told,) = await rows(core, "call_agreed", PARENT_TG)
    assert "Grandma agreed" in plain(told.body["text"])
    (to_child,) = await rows(core, "call_proposal", CHILD_TG)
    late = await router.handle_button(core.deps, child(), pick(to_child, "Agree"))
    assert late.toast == "This proposal is no longer open."
    assert (await the_plan(core)).call_schedule == "sun 19:30"


async def test_child_reminder_waits_for_school_to_end_and_off_stops_the_call(core, clock):
    await family(core)
    mum = _As(core, parent())
    await call(mum, "mon", "16:45")
    (proposal,) = await rows(core, "call_proposal", CHILD_TG)
    await router.handle_button(core.deps, child(), pick(proposal, "Agree"))
    monday = datetime(2026, 11, 23, 16, 45, tzinfo=SHANGHAI)
    assert (await the_plan(core)).next_call_at == monday
    await tick_at(core, clock, monday - timedelta(minutes=30))
    by_chat = {r.chat_id: r for r in await rows(core, "call_reminder")}
    assert by_chat[PARENT_TG].send_after == monday - timedelta(minutes=30)
    assert by_chat[CHILD_TG].send_after == monday - timedelta(minutes=15)  # school ends 16:30
    stopped = await call(mum, "off")
    assert "is stopped" in stopped
    (told,) = await rows(core, "call_stopped", CHILD_TG)
    assert "Mum has stopped the weekly call on Monday at 4:45 PM" in plain(told.body["text"])
    plan = await the_plan(core)
    assert plan.call_schedule is None and plan.next_call_at is None
    assert [r.status for r in await records(core)] == ["cancelled"]
    await tick_at(core, clock, monday + timedelta(hours=2))
    assert await rows(core, "call_asked") == []


async def test_with_two_children_the_parent_names_one(core, clock):
    await family(core)
    await invite(
        core,
        InviteRequest(Role.CHILD, name="xiaohong", age_band="7-9", guardianship="grandparents"),
    )
    async with core.deps.stores.sessions.begin() as session:  # Mum's second child, not joined yet
        (mum,) = await Store(session).people.people_on_account(PARENT_TG)
        xiaohong, _ = await Store(session).people.child_by_nickname("xiaohong")
        await Store(session).people.add_link(LinkKind.PARENT, mum.id, xiaohong.id, clock.now())
    asking = _As(core, parent())
    assert "Which child" in await call(asking, "sun", "19:30")
    both = await call(asking)
    assert "with xiaoming is agreed yet" in both and "with xiaohong is agreed yet" in both
    refused = await call(asking, "xiaohong", "sun", "19:30")
    assert "once xiaohong has joined" in refused
    assert "I have asked xiaoming" in await call(asking, "XiaoMing", "sun", "19:30")
