"""Family messages at Telegram's limits: letters counted as Telegram counts them, long captions,
and a letter refused for good."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.conftest import Harness, listen
from tests.e2e.relay_helpers import child_unreachable, relay_is, until
from tests.e2e.test_journey import bootstrap_coordinator, enrol_child

MONDAY_1630_SHANGHAI = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
MONDAY_1730_SHANGHAI = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def test_a_letter_with_emoji_counted_as_telegram_counts_arrives_whole(harness: Harness):
    """4,090 UTF-16 units in 3,890 code points: over the limit once wrapped, though a count of
    code points says it fits."""
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    letter = "想" * 3690 + "😀" * 200
    assert _utf16(letter) == 4090
    await parent.send_text(letter)
    last = await child.wait_until(lambda m: "😀" in (m.text or "") and bool(m.buttons()))
    pieces = [m.text or "" for m in child.messages if m.message_id <= last.message_id]
    received = "".join(pieces)
    assert received.count("想") == 3690 and received.count("😀") == 200
    await until(h, lambda: relay_is(h, "delivered"))


async def test_a_caption_of_510_emoji_arrives_whole_as_text_then_photo(harness: Harness):
    h = harness
    h.clock.set(MONDAY_1630_SHANGHAI)
    coordinator = await bootstrap_coordinator(h)
    child, parent = await enrol_child(h, coordinator)
    caption = "😀" * 510  # 1,020 UTF-16 units: with the header over Telegram's 1,024
    await parent.send_photo(caption=caption)
    photo = await child.wait_until(lambda m: m.kind == "photo")
    words = [m for m in child.messages if caption in (m.text or "") + (m.caption or "")]
    assert words and words[0].message_id <= photo.message_id
    assert photo.buttons()  # the quick replies under the photo they answer
    await until(h, lambda: relay_is(h, "delivered"))


async def test_a_letter_telegram_refuses_for_good_is_reported_to_the_parent(harness: Harness):
    """Told "saved", then Telegram refuses it: the parent hears so in plain words, not silence;
    the child stays reachable (only a blocked account waits for the person to come back)."""
    h = harness  # Monday 10:00 in Shanghai: the letter waits for the end of school
    coordinator = await bootstrap_coordinator(h)
    _child, parent = await enrol_child(h, coordinator)
    saved = await listen(parent, lambda m: "Saved for xiaoming" in (m.text or ""))
    await parent.send_text("See you at new year")
    await saved

    h.emulator.fail_next("sendMessage", 400, "Bad Request: message is too long")
    told = await listen(parent, lambda m: "could not be delivered" in (m.text or ""))
    h.clock.set(MONDAY_1630_SHANGHAI)
    await h.tick()
    notice = (await told).text
    assert "xiaoming" in notice and "shorter" in notice
    await until(h, lambda: relay_is(h, "failed"))
    assert not await child_unreachable(h)
    assert not [m for m in parent.messages if "reached xiaoming" in (m.text or "")]
