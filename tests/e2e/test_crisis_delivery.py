"""What a child must see, and must not leave behind, after a crisis, whatever Telegram does.

The hotlines go through the outbox and are retried until delivered; the child's own words are
deleted by a retried outbox step too, on every path where a child types (issue 9, items 1-2).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.e2e.conftest import Harness, listen
from tests.e2e.test_alerts import _with_volunteer
from tests.helpers import outbox_rows

ABUSE = "my uncle hits me when grandma is out"


def _has_hotlines(message) -> bool:
    return "12356" in (message.text or "")


async def _eventually(condition, seconds: float = 5.0) -> bool:
    """Whether `condition()` holds within `seconds` (the outbox drains in the background)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


async def _deleted(user, message_id: int) -> bool:
    """Whether the user's own message is gone from the chat within a few seconds."""
    return await _eventually(lambda: user.find(message_id).deleted)


async def _retry_after_a_while(h: Harness) -> None:
    """Let the outbox's back-off pass on the fake clock, then run the tick as the bot would."""
    h.clock.advance(seconds=30)
    await h.tick()


async def test_the_hotlines_arrive_after_a_bad_gateway(harness):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    h.emulator.fail_next("sendMessage", 502, "Bad Gateway")
    alert = await listen(volunteer, lambda m: "URGENT" in (m.text or ""))
    await child.send_text("I want to kill myself")
    await alert
    await _retry_after_a_while(h)
    reply = await child.wait_until(_has_hotlines)
    assert "If you are in danger right now" in reply.text  # in the child's English
    assert not any("try again" in (m.text or "").lower() for m in child.messages)
    assert sum(_has_hotlines(m) for m in child.messages) == 1


async def test_the_hotlines_arrive_after_three_rate_limits_in_a_row(harness):
    h = harness
    _coordinator, child, _volunteer = await _with_volunteer(h)
    h.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1, count=3)
    await child.send_command("sos")
    for _ in range(5):
        if any(_has_hotlines(m) for m in child.messages):
            break
        await _retry_after_a_while(h)
    reply = await child.wait_until(_has_hotlines, timeout=10)
    assert "If you are in danger right now" in reply.text


async def test_the_childs_words_are_deleted_even_when_the_first_delete_fails(harness):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    h.emulator.fail_next("deleteMessage", 502, "Bad Gateway")
    alert = await listen(volunteer, lambda m: "URGENT" in (m.text or ""))
    sent = await child.send_text(ABUSE)
    await alert
    await child.wait_until(_has_hotlines)
    words = child.find(sent["message"]["message_id"])
    assert words is not None and not words.deleted  # the first delete failed
    await _retry_after_a_while(h)
    assert await _deleted(child, words.message_id)


async def test_words_after_sos_are_deleted_and_reach_the_volunteer(harness):
    h = harness
    _coordinator, child, volunteer = await _with_volunteer(h)
    alert = await listen(volunteer, lambda m: "I am scared" in (m.text or ""))
    sent = await child.send_text("/sos I am scared")
    assert "I am scared" in (await alert).text
    await child.wait_until(_has_hotlines)
    assert await _deleted(child, sent["message"]["message_id"])


async def test_words_after_the_help_button_are_deleted_and_reach_the_volunteer(harness):
    h = harness
    coordinator, child, volunteer = await _with_volunteer(h)
    h.clock.set(h.clock.now().replace(hour=9))  # 17:00 in Shanghai, after school
    await h.command(coordinator, "/checkin_now xiaoming")
    await h.tick()
    checkin = await child.wait_until(lambda m: bool(m.buttons()) and "🆘" in str(m.buttons()))
    first_alert = await listen(volunteer, lambda m: "URGENT" in (m.text or ""))
    await child.tap_button("🆘", checkin.message_id)
    await first_alert
    await child.wait_until(_has_hotlines)
    h.clock.advance(minutes=5)
    words = await listen(volunteer, lambda m: "nobody at home tonight" in (m.text or ""))
    sent = await child.send_text("there is nobody at home tonight")
    assert "xiaoming" in (await words).text
    thanked = await child.wait_until(lambda m: "Thank you for telling me" in (m.text or ""))
    assert "12356" in thanked.text
    assert await _deleted(child, sent["message"]["message_id"])
    # Much later the same words are ordinary text again (the pointer to /help).
    h.clock.advance(timedelta(hours=2))
    pointer = await listen(child, lambda m: "/help" in (m.text or ""))
    await child.send_text("hello")
    await pointer


async def test_the_reply_to_an_abuse_message_fades_to_a_neutral_line(harness):
    """On a shared phone the adult who owns it may read the chat (issue 10, item 5)."""
    h = harness
    _coordinator, child, _volunteer = await _with_volunteer(h)
    sent = await child.send_text(ABUSE)
    reply = await child.wait_until(_has_hotlines)
    for secret in ("volunteer", "social worker", "uncle", "told"):
        assert secret not in reply.text.lower()
    assert await _deleted(child, sent["message"]["message_id"])
    for _ in range(100):  # the send is recorded (and its fade planned) before time moves on
        if any(r.kind == "fade" for r in await outbox_rows(h.core)):
            break
        await asyncio.sleep(0.05)
    h.clock.advance(minutes=29)
    await h.tick()
    assert "Thank you for telling me" in child.find(reply.message_id).text
    h.clock.advance(minutes=2)
    await h.tick()
    assert await _eventually(lambda: "Free helplines" in child.find(reply.message_id).text)
    faded = child.find(reply.message_id)
    assert "12356" in faded.text and "12355" in faded.text and "110" in faded.text
    assert "Thank you for telling me" not in faded.text
