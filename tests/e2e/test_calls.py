"""An agreed weekly call through Telegram: proposed by the parent, agreed by the child, reminded
to both, and a missed call the child reports shown to the volunteer."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import SHANGHAI
from tests.e2e.conftest import Harness, invite_code
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

AFTER_SCHOOL = datetime(2026, 11, 23, 16, 30, 1, tzinfo=SHANGHAI)
CALL = datetime(2026, 11, 29, 19, 30, tzinfo=SHANGHAI)


def plain(text: str | None) -> str:
    return (text or "").replace("\u202f", " ")  # Babel's narrow space before AM/PM


async def test_agreed_call_reminders_and_a_missed_call_the_volunteer_sees(harness: Harness):
    h = harness
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    made = await h.command(coordinator, "/invite volunteer xiaoming Wang", "t.me")
    volunteer = h.emulator.user(3001, first_name="Wang", language_code="en")
    await h.join(volunteer, invite_code(made.text))

    refused = await h.command(parent, "/call mon 10:00", "school hours")
    assert "after school" in refused.text
    asked = await h.command(parent, "/call sun 19:30", "I have asked")
    assert "Sunday at 7:30 PM" in plain(asked.text)

    h.clock.set(AFTER_SCHOOL)  # asked during school: the child hears after it
    await h.tick()
    proposal = await child.wait_until(lambda m: "would like to call you" in (m.text or ""))
    assert [label for label, _ in proposal.buttons()] == ["✅ Agree", "🕐 Another time"]
    await child.tap_button("Agree", proposal.message_id)
    await child.wait_until(lambda m: m.message_id == proposal.message_id and "Agreed" in m.text)
    agreed = await parent.wait_until(lambda m: "xiaoming agreed" in (m.text or ""))
    assert "Sun, Nov 29 7:30 PM" in plain(agreed.text)
    shown = await h.command(parent, "/call", "weekly call")
    assert "every Sunday at 7:30 PM" in plain(shown.text)

    h.clock.set(CALL - timedelta(minutes=30))
    await h.tick()
    reminded = await parent.wait_until(lambda m: "Reminder: your weekly call" in (m.text or ""))
    assert "xiaoming" in reminded.text
    await child.wait_until(lambda m: "Soon: your call with Mum" in plain(m.text))

    h.clock.set(CALL + timedelta(hours=1))
    await h.tick()
    question = await child.wait_until(lambda m: "Did you talk with Mum" in (m.text or ""))
    await child.tap_button("No", question.message_id)
    await child.wait_until(
        lambda m: m.message_id == question.message_id and "Thank you for telling me" in m.text
    )
    record = await h.command(volunteer, "/child xiaoming", "Calls with parents")
    assert "1 missed" in record.text
    caseload = await h.command(volunteer, "/mychildren", "Your children")
    assert "missed calls with parents (4 weeks): 1" in caseload.text
