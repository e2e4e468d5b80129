"""Family messages through Telegram: a parent far away writes, the child answers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.adapters.db.models import Answer, Outbox, Person, Relay
from tests.e2e.conftest import Harness, invite_code, listen
from tests.e2e.relay_helpers import answered, child_unreachable, until
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

MONDAY_1630_SHANGHAI = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
MONDAY_1730_SHANGHAI = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)


async def test_voice_note_at_ten_on_a_school_day_waits_for_the_end_of_school(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await h.tick()
    child_before = len(child.messages)

    saved = await listen(parent, lambda m: "Saved for xiaoming" in (m.text or ""))
    await parent.send_voice()  # Monday 10:00 in Shanghai: school hours
    reply = await saved
    assert "4:30" in reply.text  # delivered after school, shown on the parent's clock
    await h.tick()
    assert len(child.messages) == child_before  # nothing reaches the child during school
    await h.restart()  # the message waits in the database, not in memory

    h.clock.set(MONDAY_1630_SHANGHAI)
    note = await listen(parent, lambda m: "reached xiaoming" in (m.text or ""))
    await h.tick()
    voice = await child.wait_until(lambda m: m.kind == "voice")
    assert "Mum" in (voice.caption or "")
    assert await note  # the parent learns it arrived
    await h.tick()
    assert len([m for m in child.messages if m.kind == "voice"]) == 1  # and only once

    heard = await listen(parent, lambda m: "miss you" in (m.text or "").lower())
    await child.tap_button("Miss you", voice.message_id)
    assert "xiaoming" in (await heard).text


async def test_child_answers_in_words_and_the_parent_reads_them_escaped(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await parent.send_text("Dinner with grandma? <3 & hugs")
    letter = await child.wait_until(lambda m: "Dinner with grandma" in (m.text or ""))
    assert "<3 & hugs" in letter.text  # escaped on the way, shown as written

    prompt = await listen(child, lambda m: "Write your answer" in (m.text or ""))
    await child.tap_button("Reply", letter.message_id)
    await prompt
    answer = await listen(parent, lambda m: "xiaoming answered" in (m.text or ""))
    await child.send_text("Yes! Noodles")
    assert "Yes! Noodles" in (await answer).text

    h.clock.advance(days=31)  # past the retention: who, when and what kind remain, not words
    await h.tick()
    async with h.core.deps.stores.sessions() as session:
        relays = (await session.scalars(select(Relay))).all()
        copies = (await session.scalars(select(Outbox).where(Outbox.kind == "relay"))).all()
    assert [(r.kind, r.status, r.text) for r in relays] == [
        ("text", "delivered", None),
        ("text", "delivered", None),
    ]
    assert not copies


async def test_a_parent_of_two_chooses_whom_a_photo_is_for(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    first, parent = await enrol_child(h, coordinator)
    made = await h.command(coordinator, "/invite child xiaohong 7-9 grandparents", "t.me")
    second = h.emulator.user(1002, first_name="Hong", language_code="en")
    await second.send_command("start", invite_code(made.text))
    await second.wait_until(lambda m: bool(m.buttons()))
    await second.tap_button("OK")
    made = await h.command(coordinator, "/invite parent xiaohong Mum", "t.me")
    welcome = await h.join(parent, invite_code(made.text))  # the same mum, a second child
    assert "xiaoming, xiaohong" in welcome.text
    await h.command(coordinator, "/consent xiaohong", "xiaohong")
    async with h.core.deps.stores.sessions() as session:
        assert (
            len((await session.scalars(select(Person).where(Person.role == "parent"))).all()) == 1
        )

    question = await listen(parent, lambda m: "Who is this message for" in (m.text or ""))
    await parent.send_photo(caption="Our new room")
    choice = await question
    assert [label for label, _ in choice.buttons()][:2] == ["xiaoming", "xiaohong"]
    await parent.tap_button("All of them", choice.message_id)
    for kid in (first, second):
        photo = await kid.wait_until(lambda m: m.kind == "photo")
        assert "Our new room" in (photo.caption or "")


async def test_unsupported_content_and_paused_delivery_are_explained(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    _child, parent = await enrol_child(h, coordinator)
    explained = await listen(parent, lambda m: "cannot be passed on" in (m.text or ""))
    await parent.send_sticker()
    assert await explained

    await h.command(coordinator, "/consent xiaoming withdraw", "withdrawn")
    paused = await listen(parent, lambda m: "paused" in (m.text or ""))
    await parent.send_text("Are you there?")
    assert "not delivered" in (await paused).text
    async with h.core.deps.stores.sessions() as session:
        relay = (await session.scalars(select(Relay))).one()
    assert relay.status == "held"


async def test_a_blocked_parent_is_marked_unreachable_and_the_volunteer_told(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    made = await h.command(coordinator, "/invite volunteer xiaoming Wang", "t.me")
    volunteer = h.emulator.user(3001, first_name="Wang", language_code="en")
    await h.join(volunteer, invite_code(made.text))

    await parent.send_text("Hello from the city")
    letter = await child.wait_until(lambda m: "Hello from the city" in (m.text or ""))
    parent.block()
    told = await listen(volunteer, lambda m: "can no longer reach Mum" in (m.text or ""))
    await child.tap_button("Got it", letter.message_id)
    assert "xiaoming" in (await told).text
    async with h.core.deps.stores.sessions() as session:
        mum = (await session.scalars(select(Person).where(Person.display_name == "Mum"))).one()
    assert mum.unreachable_since is not None


async def test_a_muted_child_gets_messages_only_after_the_mute(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    choices = await h.command(child, "/mute", "For how long")
    muted = await listen(child, lambda m: "will wait until" in (m.text or ""))
    await child.tap_button("1 day", choices.message_id)
    await muted

    saved = await listen(parent, lambda m: "Saved for xiaoming" in (m.text or ""))
    await parent.send_text("Thinking of you")
    reply = (await saved).text
    assert "good moment" in reply and "mute" not in reply.lower()  # not told why
    await h.tick()
    assert not [m for m in child.messages if "Thinking of you" in (m.text or "")]

    h.clock.advance(days=1, minutes=1)
    await h.tick()
    await child.wait_until(lambda m: "Thinking of you" in (m.text or ""))


async def test_a_coordinators_pause_holds_a_parents_messages(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await h.command(coordinator, "/relay xiaoming pause", "paused")
    told = await listen(parent, lambda m: "paused" in (m.text or ""))
    await parent.send_voice()
    assert await told
    await h.tick()
    assert not [m for m in child.messages if m.kind == "voice"]

    await h.command(coordinator, "/relay xiaoming resume Mum", "delivered again")
    await parent.send_text("Back again")
    await child.wait_until(lambda m: "Back again" in (m.text or ""))


async def test_a_letter_over_telegrams_limit_arrives_in_pieces(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    letter = "\n".join(f"Line {n}: " + "x" * 90 for n in range(41))  # 4,093 characters
    assert 4050 < len(letter) <= 4096  # as long as Telegram lets a person send
    await parent.send_text(letter)
    last = await child.wait_until(lambda m: "Line 40" in (m.text or ""))
    first = next(m for m in child.messages if "Line 0:" in (m.text or ""))
    assert first.message_id < last.message_id
    assert last.buttons() and not first.buttons()  # the quick replies sit under the end


async def test_check_in_words_never_go_to_a_parent(harness: Harness):
    """After "Reply" the child's next words are for the parent, except while their check-in
    waits for its words: those are for the volunteer, never a parent."""
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await parent.send_text("How was school?")
    letter = await child.wait_until(lambda m: "How was school" in (m.text or ""))
    prompt = await listen(child, lambda m: "Write your answer" in (m.text or ""))
    await child.tap_button("Reply", letter.message_id)
    await prompt

    h.clock.set(MONDAY_1730_SHANGHAI)
    await h.tick()
    checkin = await child.wait_until(lambda m: "quick check-in" in (m.text or ""))
    await child.tap_button("🙂", checkin.message_id)
    for position, label in ((3, "Hardly"), (4, "Hardly"), (5, "Hardly")):
        await child.wait_until(lambda m, p=position - 1: f"{p}/5" in (m.text or ""))
        await child.tap_button(label, checkin.message_id)
    await child.wait_until(lambda m: "5/5" in (m.text or ""))
    done = await listen(child, lambda m: "See you next time" in (m.text or ""))
    await child.send_text("nobody plays with me")
    await done
    await h.tick()
    assert not [m for m in parent.messages if "nobody plays" in (m.text or "")]
    async with h.core.deps.stores.sessions() as session:
        words = (await session.scalars(select(Answer).where(Answer.question == "words"))).one()
        assert words.text == "nobody plays with me"
        from_child = await session.scalars(select(Relay).where(Relay.kind != "text"))
        assert not from_child.all()


async def test_a_paused_parent_hears_nothing_from_the_child_either(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await parent.send_text("Hello")
    letter = await child.wait_until(lambda m: "Hello" in (m.text or ""))
    await h.command(coordinator, "/relay xiaoming pause", "paused")
    query = await child.tap_button("Miss you", letter.message_id)
    await until(h, lambda: answered(child, query))
    (answer,) = [a for a in child.callback_answers if a["query_id"] == query]
    assert "right now" in answer["text"]
    await h.tick()
    assert not [m for m in parent.messages if "miss you" in (m.text or "").lower()]


async def test_a_message_waits_for_a_child_who_blocked_the_bot_and_came_back(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    child.block()
    await parent.send_text("Are you there?")
    await until(h, lambda: child_unreachable(h))
    child.unblock()
    await child.send_command("start")
    await child.wait_until(lambda m: "What I can do" in (m.text or ""))
    h.clock.advance(hours=12, minutes=1)  # Tuesday 04:31: the night; 07:30 is the next free time
    await h.tick()
    h.clock.set(datetime(2026, 11, 23, 23, 31, tzinfo=UTC))  # Tuesday 07:31 in Shanghai
    await h.tick()
    await child.wait_until(lambda m: "Are you there?" in (m.text or ""))
    await h.tick()
    assert len([m for m in child.messages if "Are you there?" in (m.text or "")]) == 1


async def test_a_childs_answer_waits_for_the_end_of_the_parents_working_day(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await h.command(parent, "/workhours mon-fri 08:00-18:00", "18:00")
    await parent.send_text("Dinner?")
    letter = await child.wait_until(lambda m: "Dinner?" in (m.text or ""))
    await child.tap_button("Call me", letter.message_id)
    await h.tick()
    assert not [m for m in parent.messages if "call me" in (m.text or "").lower()]
    h.clock.set(datetime(2026, 11, 23, 10, 1, tzinfo=UTC))  # 18:01 in Shanghai
    await h.tick()
    await parent.wait_until(lambda m: "call me" in (m.text or "").lower())
