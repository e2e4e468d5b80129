"""The weekly update through Telegram: the parent reads the week in gentle words and the good
thing the child chose to share, and never a word the child wrote."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.adapters.db.models import Answer, ChildProfile
from bot.emulator import EmulatorLimits
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Harness, loose_chat_limits
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

FIRST_SUNDAY = datetime(2026, 11, 29, 19, 0, 1, tzinfo=SHANGHAI)
SECRET = "my secret: I broke grandma's blue teapot"


@pytest.fixture
def emulator_limits() -> EmulatorLimits:
    """A week of check-ins in the child's chat (a send and five edits each) is the point here,
    not Telegram's pace of one a second per chat: looser for the emulator and the bot alike."""
    return loose_chat_limits()


async def answer_next(h: Harness, child, face: str, words: str | None = None) -> None:
    """The child's next scheduled check-in through the chat: a face, three items, words."""
    async with h.core.deps.stores.sessions() as session:
        due = (await session.scalars(select(ChildProfile))).one().next_checkin_at
    h.clock.set(due + timedelta(seconds=1))
    await h.tick()
    checkin = await child.wait_until(
        lambda m: "quick check-in" in (m.text or "") and bool(m.buttons()) and not m.deleted
    )
    await child.tap_button(face, checkin.message_id)
    for position in (3, 4, 5):
        await child.wait_until(lambda m, p=position - 1: f"{p}/5" in (m.text or ""))
        await child.tap_button("Hardly ever", checkin.message_id)
    await child.wait_until(lambda m: "5/5" in (m.text or ""))
    if words is None:
        await child.tap_button("Skip", checkin.message_id)
    else:
        await child.send_text(words)
    await child.wait_until(
        lambda m: m.message_id == checkin.message_id and "See you next time" in (m.text or "")
    )


async def test_weekly_update_has_the_chosen_wording_and_none_of_the_childs_words(harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    await h.tick()  # the parent's first update moment is set: Sunday 19:00 on their clock

    h.clock.set(FIRST_SUNDAY)
    await h.tick()
    welcome = await parent.wait_until(lambda m: "first week" in (m.text or ""))
    assert "xiaoming" in welcome.text

    await answer_next(h, child, "😄", words=SECRET)
    await answer_next(h, child, "🙂")
    shared = await h.command(child, "/share", "Pick one")
    assert [label for label, _ in shared.buttons()][2] == "🧹 I helped at home"
    await child.tap_button("I helped at home", shared.message_id)
    await child.wait_until(lambda m: "weekly note" in (m.text or "") and not m.buttons())
    await answer_next(h, child, "😄")
    async with h.core.deps.stores.sessions() as session:
        stored = (await session.scalars(select(Answer).where(Answer.text.is_not(None)))).one()
    assert stored.text == SECRET  # the words were stored for the child's volunteer

    h.clock.set(FIRST_SUNDAY + timedelta(days=7))
    await h.tick()
    update = await parent.wait_until(lambda m: "Check-ins answered" in (m.text or ""))
    text = update.text
    assert "Check-ins answered: 3 of 3" in text
    assert "Mood: mostly cheerful" in text
    assert "xiaoming helped at home" in text
    for private in ("secret", "teapot", "grandma", "broke", "Hardly", "lonel"):
        assert private not in text
    assert all(SECRET not in (m.text or "") for m in parent.messages)
