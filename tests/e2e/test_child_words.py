"""A child's check-in words and voice note through Telegram: the volunteer reads and hears
them (a quiet notice at a good hour, /child, the listen button), nobody else does."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.adapters.db.models import AccessLog, Answer, ChildProfile
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Harness, invite_code
from tests.e2e.test_alerts import _until_answered, _with_volunteer
from tests.e2e.test_journey import _until
from tests.helpers import outbox_rows

WORDS = "<b>I miss mum</b> & dad"
REFUSED = "This button no longer works."


async def _to_words_step(h: Harness, child):
    """Open the child's next scheduled check-in and tap up to the words step."""
    async with h.core.deps.stores.sessions() as session:
        due = (await session.scalars(select(ChildProfile))).one().next_checkin_at
    h.clock.set(due + timedelta(seconds=1))
    await h.tick()
    checkin = await child.wait_until(
        lambda m: "quick check-in" in (m.text or "") and bool(m.buttons()) and not m.deleted
    )
    await child.tap_button("🙂", checkin.message_id)
    for position in (3, 4, 5):
        await child.wait_until(lambda m, p=position - 1: f"{p}/5" in (m.text or ""))
        await child.tap_button("Hardly ever", checkin.message_id)
    await child.wait_until(lambda m: "5/5" in (m.text or ""))
    return checkin


async def _ended(child, checkin) -> None:
    await child.wait_until(
        lambda m: m.message_id == checkin.message_id and "See you next time" in (m.text or "")
    )


async def _toast(user, query_id: str) -> str:
    await _until_answered(user, query_id)
    return next(a["text"] for a in user.callback_answers if a["query_id"] == query_id)


async def test_words_and_a_voice_note_reach_the_volunteer_and_nobody_else(harness):
    h = harness
    coordinator, child, volunteer = await _with_volunteer(h)
    parent = h.emulator.user(2001)

    checkin = await _to_words_step(h, child)  # Monday 17:30
    await child.send_text(WORDS)
    await _ended(child, checkin)

    checkin = await _to_words_step(h, child)  # Wednesday 17:30; the voice comes at 22:30
    h.clock.advance(hours=5)
    await child.send_voice(duration=4)
    await _ended(child, checkin)
    async with h.core.deps.stores.sessions() as session:
        file_id = (await session.scalars(select(Answer.file_id).where(Answer.file_id != ""))).one()

    # The quiet notice waits for the volunteer's morning, then offers the note.
    h.clock.advance(minutes=30)
    await h.tick()
    assert not [m for m in volunteer.messages if "voice note" in (m.text or "")]
    (waiting,) = [r for r in await outbox_rows(h.core) if r.kind == "voice_notice"]
    assert waiting.status == "pending" and waiting.send_after.astimezone(SHANGHAI) == datetime(
        2026, 11, 26, 7, 30, tzinfo=SHANGHAI
    )
    h.clock.set(datetime(2026, 11, 26, 7, 30, 1, tzinfo=SHANGHAI))
    await h.tick()
    notice = await volunteer.wait_until(
        lambda m: "ended a check-in with a voice note" in (m.text or "")
    )
    assert "xiaoming" in notice.text and "URGENT" not in notice.text
    await volunteer.tap_button("Listen", notice.message_id)
    voice = await volunteer.wait_until(lambda m: m.kind == "voice")
    assert voice.file_id == file_id
    assert "Not screened" in voice.caption and "xiaoming" in voice.caption

    # /child shows the words as text, newest first, with a listen button for the voice.
    record = await h.command(volunteer, "/child xiaoming", "own words")
    assert WORDS in record.text  # the tags arrive as characters, not as bold
    assert "voice note" in record.text
    assert record.text.index("voice note") < record.text.index(WORDS)
    listen = [data for label, data in record.buttons() if "Listen" in label]
    assert len(listen) == 1
    await volunteer.tap(listen[0], record.message_id)
    await _until(lambda: len([m for m in volunteer.messages if m.kind == "voice"]) == 2)

    # A forged button, another child's volunteer and the parent get the standard refusal.
    assert await _toast(volunteer, await volunteer.tap("lv:99999", record.message_id)) == REFUSED
    await h.command(coordinator, "/invite child xiaohong 7-9 grandparents", "t.me")
    made = await h.command(coordinator, "/invite volunteer xiaohong Zhao", "t.me")
    other = h.emulator.user(3002, first_name="Zhao", language_code="en")
    await h.join(other, invite_code(made.text))
    pressed = await other.tap(listen[0], other.messages[-1].message_id)
    assert await _toast(other, pressed) == REFUSED
    assert "could not find" in (await h.command(other, "/child xiaoming")).text
    await h.command(parent, "/help")
    probed = await parent.tap(listen[0], parent.messages[-1].message_id)
    assert await _toast(parent, probed) == REFUSED
    for user in (other, parent):
        assert not [m for m in user.messages if m.kind == "voice"]

    # The parent's weekly update, and everything else the parent got, holds none of it.
    h.clock.set(datetime(2026, 11, 29, 19, 0, 1, tzinfo=SHANGHAI))
    await h.tick()
    await parent.wait_until(lambda m: "xiaoming" in (m.text or "") and "week" in (m.text or ""))
    for message in parent.messages:
        seen = (message.text or "") + (message.caption or "")
        assert "I miss mum" not in seen and message.kind != "voice"
        assert "own words" not in seen and "ended a check-in" not in seen

    async with h.core.deps.stores.sessions() as session:
        actions = [row.action for row in (await session.scalars(select(AccessLog))).all()]
    assert actions.count("voice") == 2 and "view_record_words" in actions
