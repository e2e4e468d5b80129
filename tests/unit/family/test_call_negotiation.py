"""The call negotiation without a database: a proposal, the child and the grandparent agreeing
at the same moment (one wins), another time asked for, the reminder and "did it happen"."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.adapters.db.models import CallRecord, ContactPlan, Person
from bot.adapters.dialog_bundle import load_dialogs
from bot.bootstrap import shared_texts
from bot.clock import FakeClock
from bot.domain.buttons import decode
from bot.domain.consent import ConsentKind
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.family import call_answers, call_commands, call_tick
from bot.services.family.call_summaries import call_summaries
from bot.services.outcome import Outcome, Sender
from tests.conftest import SHANGHAI, make_settings
from tests.fakes.family_calls import FakeStore, FakeStores, World

MONDAY_1630 = datetime(2026, 11, 23, 16, 30, tzinfo=SHANGHAI)  # after school
SUNDAY_1930 = datetime(2026, 11, 29, 19, 30, tzinfo=SHANGHAI)
NOBODY = Sender(user_id=0, chat_id=0)  # the handlers take the account's people, not the sender


class Family:
    """Xiaoming (consents given), Mum far away and Grandma at home, on a fake store."""

    def __init__(self) -> None:
        self.world = World()
        self.clock = FakeClock(MONDAY_1630)
        settings = make_settings("sqlite+aiosqlite://")
        self.deps = Deps(
            stores=FakeStores(self.world),  # type: ignore[arg-type]
            clock=self.clock,
            settings=settings,
            texts=shared_texts(settings.default_locale, False),
            dialogs=load_dialogs(),
        )
        self.child = self.world.person(Role.CHILD, "xiaoming", 1001)
        self.mum = self.world.person(Role.PARENT, "Mum", 2001)
        self.grandma = self.world.person(Role.PARENT, "Grandma", 2002)
        self.world.link(LinkKind.PARENT, self.mum, self.child)
        self.world.link(LinkKind.CARER, self.grandma, self.child)
        self.world.consent(self.child, ConsentKind.GUARDIAN, ConsentKind.ASSENT)
        self.plan = self.world.plan(self.mum, self.child)

    @property
    def store(self) -> FakeStore:
        return FakeStore(self.world)

    async def call(self, *args: str) -> str:
        outcome = await call_commands.call_command(
            self.deps, self.store, NOBODY, [self.mum], list(args)
        )
        return plain(outcome.replies[0].text)

    def sent(self, kind: str, to: Person | None = None) -> list[Outgoing]:
        return [
            item
            for item in self.world.outbox
            if item.kind == kind and (to is None or item.person_id == to.id)
        ]

    async def tap(self, who: Person, item: Outgoing, label: str) -> Outcome:
        assert item.message is not None
        data = next(b.data for row in item.message.buttons for b in row if label in b.label)
        action = decode(data)
        handler = (
            call_answers.on_happened
            if type(action).__name__ == "CallHappened"
            else call_answers.on_proposal_answer
        )
        return await handler(self.deps, self.store, NOBODY, [who], action)

    async def tick(self, moment: datetime) -> int:
        self.clock.set(moment)
        return await call_tick.collect_calls(self.deps)

    def records(self) -> list[CallRecord]:
        return self.world.all(CallRecord)


def plain(text: str) -> str:
    return text.replace("\u202f", " ")


def text_of(item: Outgoing) -> str:
    assert item.message is not None
    return plain(item.message.text)


async def agreed(family: Family) -> None:
    await family.call("sun", "19:30")
    (proposal,) = family.sent("call_proposal", family.child)
    await family.tap(family.child, proposal, "Agree")


async def test_a_proposal_goes_to_the_child_and_the_carer_at_an_allowed_moment() -> None:
    family = Family()
    reply = await family.call("sun", "19:30")
    assert "I have asked xiaoming, Grandma" in reply and "every Sunday at 7:30 PM" in reply
    assert family.plan.call_proposal == "sun 19:30" and family.plan.call_schedule is None
    (to_child,) = family.sent("call_proposal", family.child)
    (to_grandma,) = family.sent("call_proposal", family.grandma)
    assert "Mum would like to call you every Sunday at 7:30 PM" in text_of(to_child)
    assert to_child.send_after == MONDAY_1630
    assert "xiaoming" in text_of(to_grandma)
    assert to_grandma.message.buttons == to_child.message.buttons  # either may answer
    assert [b.label for b in to_child.message.buttons[0]] == ["✅ Agree", "🕐 Another time"]


async def test_a_proposal_in_school_hours_or_while_paused_is_refused() -> None:
    family = Family()
    with pytest.raises(UserError) as refused:
        await family.call("mon", "10:00")
    assert refused.value.reason == "call_blocked"
    family.plan.relay_paused = True
    with pytest.raises(UserError) as paused:
        await family.call("sun", "19:30")
    assert paused.value.reason == "call_paused"
    assert family.world.outbox == []


async def test_the_child_and_the_grandparent_agreeing_at_once_decide_only_once() -> None:
    family = Family()
    await family.call("sun", "19:30")
    (to_child,) = family.sent("call_proposal", family.child)
    (to_grandma,) = family.sent("call_proposal", family.grandma)
    outcomes = await asyncio.gather(
        family.tap(family.child, to_child, "Agree"),
        family.tap(family.grandma, to_grandma, "Agree"),
    )
    toasts = sorted(outcome.toast or "" for outcome in outcomes)
    assert toasts == ["Agreed 👍", "This proposal is no longer open."]
    assert family.plan.call_schedule == "sun 19:30" and family.plan.call_proposal is None
    assert family.plan.next_call_at == SUNDAY_1930
    (told,) = family.sent("call_agreed", family.mum)
    assert "agreed" in text_of(told) and "Sun, Nov 29" in text_of(told)


async def test_another_time_keeps_the_call_agreed_before() -> None:
    family = Family()
    await agreed(family)
    await family.call("sat", "10:00")
    _, second = family.sent("call_proposal", family.child)
    declined = await family.tap(family.child, second, "Another time")
    assert declined.toast == "OK, I'll ask for another time"
    (told,) = family.sent("call_declined", family.mum)
    assert "would like another time than Saturday at 10:00 AM" in text_of(told)
    assert family.plan.call_schedule == "sun 19:30" and family.plan.call_proposal is None
    assert family.plan.next_call_at == SUNDAY_1930
    again = await family.tap(family.child, second, "Agree")
    assert again.toast == "This proposal is no longer open."


async def test_both_are_reminded_once_and_the_plan_moves_a_week_on() -> None:
    family = Family()
    await agreed(family)
    assert await family.tick(SUNDAY_1930 - timedelta(minutes=31)) == 0
    assert await family.tick(SUNDAY_1930 - timedelta(minutes=30)) == 2
    (to_child,) = family.sent("call_reminder", family.child)
    assert "your call with Mum at 7:30 PM" in text_of(to_child)
    assert {item.person_id for item in family.sent("call_reminder")} == {
        family.mum.id,
        family.child.id,
    }
    (record,) = family.records()
    assert record.status == "upcoming" and record.scheduled_at == SUNDAY_1930
    assert family.plan.next_call_at == SUNDAY_1930 + timedelta(days=7)
    assert await family.tick(SUNDAY_1930 - timedelta(minutes=20)) == 0  # nothing repeated


async def test_did_it_happen_is_asked_after_and_the_first_answer_stands() -> None:
    family = Family()
    await agreed(family)
    await family.tick(SUNDAY_1930 - timedelta(minutes=30))
    assert await family.tick(SUNDAY_1930 + timedelta(minutes=59)) == 0
    assert await family.tick(SUNDAY_1930 + timedelta(hours=1)) == 1
    (asked,) = family.sent("call_asked", family.child)
    assert "Did you talk with Mum" in text_of(asked)
    assert family.records()[0].status == "asked"
    stranger = await family.tap(family.mum, asked, "No")
    assert stranger.refused  # only the child answers
    no = await family.tap(family.child, asked, "No")
    assert "Thank you for telling me" in no.edit.text
    yes = await family.tap(family.child, asked, "Yes")
    assert yes.toast and "Thank you for telling me" in yes.edit.text
    assert family.records()[0].status == "missed"
    summaries = await call_summaries(family.deps, family.store, [family.child.id])
    assert summaries == {family.child.id: {"happened": 0, "missed": 1, "unanswered": 0}}


async def test_a_question_left_unanswered_closes_after_the_answer_time() -> None:
    family = Family()
    await agreed(family)
    await family.tick(SUNDAY_1930 - timedelta(minutes=30))
    await family.tick(SUNDAY_1930 + timedelta(hours=1))
    await family.tick(SUNDAY_1930 + timedelta(hours=24, minutes=59))
    assert family.records()[0].status == "asked"
    await family.tick(SUNDAY_1930 + timedelta(hours=25))
    assert family.records()[0].status == "unanswered"
    (asked,) = family.sent("call_asked", family.child)
    late = await family.tap(family.child, asked, "Yes")
    assert "closed" in late.edit.text


async def test_stopping_drops_the_reminded_call_and_tells_the_child() -> None:
    family = Family()
    await agreed(family)
    await family.tick(SUNDAY_1930 - timedelta(minutes=30))
    await family.call("off")
    assert family.records()[0].status == "cancelled"
    plan: ContactPlan = family.plan
    assert plan.call_schedule is None and plan.next_call_at is None
    assert len(family.sent("call_stopped", family.child)) == 1
    assert await family.tick(SUNDAY_1930 + timedelta(hours=1)) == 0
