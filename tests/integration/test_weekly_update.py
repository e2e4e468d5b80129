"""The weekly update to parents through the core, on SQLite and PostgreSQL: what it says, what
it never says, the concern variant, the coordinator's switch, and nothing sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.adapters.db.models import Alert, Consent, ContactPlan, Outbox, Person
from bot.bootstrap import build_core
from bot.domain.people import Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from bot.services.tick import collect_due
from tests.conftest import SHANGHAI
from tests.helpers import button_data, child_request, invite, next_checkin, sender, staff

CHILD_TG, PARENT_TG, COORDINATOR_TG = 1001, 2001, 5001
# The first two update moments after enrolment on Monday 23 November 2026 (Sunday 19:00).
FIRST_SUNDAY = datetime(2026, 11, 29, 19, 0, tzinfo=SHANGHAI)
SECOND_SUNDAY = FIRST_SUNDAY + timedelta(days=7)
SECRET = "my secret: I ate all of Doudou's candy"


async def family(core) -> int:
    """A consented child and her parent Mum, both reading English; returns the child's id."""
    code = await invite(core, child_request())
    welcome = await router.handle_start(core.deps, sender(CHILD_TG, "en"), code)
    assent = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(CHILD_TG, "en"), assent)
    code = await invite(core, InviteRequest(Role.PARENT, child="xiaoming", name="Mum"))
    welcome = await router.handle_start(core.deps, sender(PARENT_TG, "en"), code)
    consent = next(d for d in button_data(welcome, 1) if d.endswith(":y"))
    await router.handle_button(core.deps, sender(PARENT_TG, "en"), consent)
    await collect_due(core.deps)  # the next tick gives the parent their first update moment
    return int(assent.split(":")[1])


async def answer(core, clock, child_id: int, mood: int, words: str | None = None) -> None:
    """The child's next scheduled check-in: a mood face, three items, then words or Skip."""
    checkin = await next_checkin(core, clock, child_id)
    me = sender(CHILD_TG, "en")
    for step, value in (("mood", mood), ("companionship", 1), ("left_out", 1), ("alone", 1)):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    if words is None:
        await router.handle_button(core.deps, me, f"c:{checkin.id}:words:-1")
    else:
        await router.handle_text(core.deps, me, words)


async def share(core, label: str) -> None:
    outcome = await router.handle_command(core.deps, sender(CHILD_TG, "en"), "share", "")
    (message,) = outcome.replies
    data = next(b.data for row in message.buttons for b in row if label in b.label)
    tapped = await router.handle_button(core.deps, sender(CHILD_TG, "en"), data)
    assert tapped.edit is not None and label in tapped.edit.text


async def updates(core) -> list[Outbox]:
    async with core.deps.stores.sessions() as session:
        rows = await session.scalars(
            select(Outbox).where(Outbox.kind == "weekly_update").order_by(Outbox.id)
        )
        return list(rows.all())


async def plan(core) -> ContactPlan:
    async with core.deps.stores.sessions() as session:
        return (await session.scalars(select(ContactPlan))).one()


async def at(core, clock, moment: datetime) -> None:
    clock.set(moment + timedelta(seconds=1))
    await collect_due(core.deps)


async def second_week(core, clock, child_id: int) -> None:
    """Week one passes with its welcome; in week two the child answers all three check-ins
    (writing private words in one) and shares that she helped at home."""
    await at(core, clock, FIRST_SUNDAY)
    await answer(core, clock, child_id, 5, words=SECRET)
    await answer(core, clock, child_id, 4)
    await share(core, "I helped at home")
    await answer(core, clock, child_id, 5)


async def test_first_week_is_a_welcome_then_the_week_comes_in_gentle_words(core, clock):
    child_id = await family(core)
    assert (await plan(core)).next_update_at == FIRST_SUNDAY
    await at(core, clock, FIRST_SUNDAY - timedelta(minutes=5))
    assert await updates(core) == []
    await second_week(core, clock, child_id)
    (welcome,) = await updates(core)
    assert "first week" in welcome.body["text"] and welcome.chat_id == PARENT_TG
    assert welcome.send_after == FIRST_SUNDAY + timedelta(seconds=1)
    assert (await plan(core)).next_update_at == SECOND_SUNDAY

    await at(core, clock, SECOND_SUNDAY)
    _, weekly = await updates(core)
    text = weekly.body["text"]
    assert "xiaoming" in text and "Check-ins answered: 3 of 3" in text
    assert "Mood: mostly cheerful" in text
    assert "xiaoming helped at home" in text
    assert "secret" not in text and "candy" not in text  # never the child's own words
    assert "lonel" not in text.casefold() and "score" not in text.casefold()
    assert weekly.body["buttons"] == []


async def test_a_live_concern_turns_the_update_into_an_invitation_to_write(core, clock):
    child_id = await family(core)
    await second_week(core, clock, child_id)
    async with core.deps.stores.sessions.begin() as session:
        session.add(
            Alert(
                child_id=child_id,
                reason="drift",
                severity="alert",
                status="acknowledged",
                detail={},
                opened_at=clock.now(),
                since=clock.now(),
            )
        )
    await at(core, clock, SECOND_SUNDAY)
    text = (await updates(core))[-1].body["text"]
    assert "would mean a lot" in text and "xiaoming" in text
    for private in ("Mood", "of 3", "helped at home", "alert", "concern", "lonel", "candy"):
        assert private not in text


async def test_a_crisis_or_abuse_report_never_shows_in_the_parents_update(core, clock):
    """Those are for the volunteer and the social worker; a changed update could tip off the
    very person a report is about, so the parent's week reads as any other."""
    child_id = await family(core)
    await second_week(core, clock, child_id)
    async with core.deps.stores.sessions.begin() as session:
        for reason in ("crisis", "abuse_report"):
            session.add(
                Alert(
                    child_id=child_id,
                    reason=reason,
                    severity="urgent",
                    status="open",
                    detail={},
                    opened_at=clock.now(),
                    since=clock.now(),
                )
            )
    await at(core, clock, SECOND_SUNDAY)
    text = (await updates(core))[-1].body["text"]
    assert "would mean a lot" not in text and "of 3" in text


async def test_coordinator_switches_mood_words_off_for_the_program(core, clock):
    child_id = await family(core)
    await staff(core, Role.COORDINATOR, "Li", COORDINATOR_TG)
    li = sender(COORDINATOR_TG, "en")
    shown = await router.handle_command(core.deps, li, "moodwords", "")
    assert "mostly cheerful" in shown.replies[0].text and "/moodwords off" in shown.replies[0].text
    wrong = await router.handle_command(core.deps, li, "moodwords", "maybe")
    assert "/moodwords on" in wrong.replies[0].text
    mum = await router.handle_command(core.deps, sender(PARENT_TG, "en"), "moodwords", "off")
    assert "moodwords" not in mum.replies[0].text.casefold()  # not a parent's command
    off = await router.handle_command(core.deps, li, "moodwords", "OFF")
    assert "leave the child's mood out" in off.replies[0].text
    await second_week(core, clock, child_id)
    await at(core, clock, SECOND_SUNDAY)
    text = (await updates(core))[-1].body["text"]
    assert "Mood" not in text and "cheerful" not in text
    assert "3 of 3" in text and "helped at home" in text
    await router.handle_command(core.deps, li, "moodwords", "on")
    await at(core, clock, SECOND_SUNDAY + timedelta(days=7))
    assert "Mood: too few check-ins answered to say" in (await updates(core))[-1].body["text"]


async def test_the_same_week_is_never_sent_twice_even_after_a_restart(core, clock, settings):
    child_id = await family(core)
    await second_week(core, clock, child_id)
    await at(core, clock, SECOND_SUNDAY)
    assert len(await updates(core)) == 2
    async with core.deps.stores.sessions.begin() as session:  # the same decision taken again
        await session.execute(update(ContactPlan).values(next_update_at=SECOND_SUNDAY))
    await collect_due(core.deps)
    restarted = await build_core(settings, clock)
    try:
        await collect_due(restarted.deps)
        await collect_due(restarted.deps)
    finally:
        await restarted.close()
    assert len(await updates(core)) == 2
    assert (await plan(core)).next_update_at == SECOND_SUNDAY + timedelta(days=7)


async def test_nothing_about_the_child_while_paused_withdrawn_or_unreachable(core, clock):
    child_id = await family(core)
    await second_week(core, clock, child_id)
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(update(ContactPlan).values(relay_paused=True))
    await at(core, clock, SECOND_SUNDAY)
    third = SECOND_SUNDAY + timedelta(days=7)
    assert (await plan(core)).next_update_at == third  # moved on, nothing said
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(update(ContactPlan).values(relay_paused=False))
        await session.execute(
            update(Consent).where(Consent.kind == "guardian").values(withdrawn_at=clock.now())
        )
    await at(core, clock, third)
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(update(Consent).values(withdrawn_at=None))
        await session.execute(
            update(Person).where(Person.id != child_id).values(unreachable_since=clock.now())
        )
    await at(core, clock, third + timedelta(days=7))
    assert len(await updates(core)) == 1  # only the first week's welcome


async def test_update_comes_on_the_parents_clock_outside_their_working_hours(core, clock):
    await family(core)
    async with core.deps.stores.sessions.begin() as session:
        await session.execute(
            update(Person)
            .where(Person.telegram_id == PARENT_TG)
            .values(timezone="Europe/Berlin", work_hours="sun 18:00-20:30")
        )
        await session.execute(update(ContactPlan).values(next_update_at=None))
    await collect_due(core.deps)
    berlin = ZoneInfo("Europe/Berlin")
    sunday_berlin = datetime(2026, 11, 29, 19, 0, tzinfo=berlin)
    assert (await plan(core)).next_update_at == sunday_berlin
    await at(core, clock, sunday_berlin)
    (welcome,) = await updates(core)
    assert welcome.send_after == datetime(2026, 11, 29, 20, 30, tzinfo=berlin).astimezone(UTC)
