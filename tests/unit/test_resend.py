"""Finding the stray copy of a check-in an unrecorded send may have left, and the chat marks."""

from __future__ import annotations

from bot.domain.resend import STRAY_CAP, may_have_gone_out, stray_candidates
from bot.telegram.chat_marks import ChatMarks


def test_only_an_earlier_unanswered_attempt_may_have_gone_out():
    assert not may_have_gone_out(1, 40)  # the first attempt: nothing before it
    assert may_have_gone_out(2, 40)  # a lease ran out, or a timeout
    assert not may_have_gone_out(3, None)  # claimed before floors were noted


def test_strays_lie_between_the_floor_and_the_resend_newest_first():
    assert stray_candidates(40, 42, set()) == [41]
    assert stray_candidates(40, 41, set()) == []  # nothing between
    assert stray_candidates(40, 45, {44, 42}) == [43, 41]  # recorded sends are the bot's own


def test_strays_are_capped():
    found = stray_candidates(0, 100, set())
    assert len(found) == STRAY_CAP and found[0] == 99


def test_chat_marks_keep_the_highest_id_of_messages_and_updates():
    marks = ChatMarks()
    marks.observe({"message_id": 7, "chat": {"id": 5}, "text": "sent"})
    marks.observe([{"update_id": 1, "message": {"message_id": 9, "chat": {"id": 5}}}])
    marks.observe(
        [{"update_id": 2, "callback_query": {"message": {"message_id": 3, "chat": {"id": 6}}}}]
    )
    marks.observe(True)  # deleteMessage and others answer without a message
    marks.observe({"message_id": 4, "chat": {"id": 5}})  # an edit of an older one
    assert marks.highest(5) == 9 and marks.highest(6) == 3 and marks.highest(8) is None
