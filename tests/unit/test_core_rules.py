"""Pure rules: questionnaire walking and scoring, consent, tap verdicts (buttons:
`test_button_actions.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.dialogs import load_questionnaire
from bot.domain.alerting import invites_parent_to_write
from bot.domain.checkin_rules import (
    SKIP,
    CheckinStatus,
    CheckinView,
    TapVerdict,
    end_status,
    judge_tap,
    reminder_time,
)
from bot.domain.consent import ConsentKind, ConsentState, may_check_in
from bot.domain.invites import deep_link, hash_code, looks_like_code, new_code
from bot.domain.people import Role, clean_name, commands_for, nickname_key
from bot.domain.schedule import BlockedTimes

Q = load_questionnaire()
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_questionnaire_walks_mood_three_items_then_words():
    assert [s.key for s in Q.steps] == ["mood", "companionship", "left_out", "alone", "words"]
    assert Q.next_step("alone") == "words" and Q.next_step("words") is None
    assert Q.position("left_out") == (3, 5)


@pytest.mark.parametrize(
    ("answers", "score", "lonely"),
    [
        ({"companionship": 1, "left_out": 1, "alone": 1}, 3, False),
        ({"companionship": 2, "left_out": 2, "alone": 2}, 6, True),
        ({"companionship": 3, "left_out": 3, "alone": 3}, 9, True),
    ],
)
def test_three_item_score_range_and_cut_off(answers, score, lonely):
    assert Q.score(answers) == score
    assert Q.is_lonely(score) is lonely


def test_score_waits_for_all_items():
    assert Q.score({"companionship": 3, "left_out": 3}) is None


def _view(step="mood", status=CheckinStatus.OPEN, expires=NOW + timedelta(hours=24)):
    return CheckinView(status.value, step, expires)


@pytest.mark.parametrize(
    ("view", "step", "value", "verdict"),
    [
        (_view(), "mood", 3, TapVerdict.ACCEPT),
        (_view(), "mood", 9, TapVerdict.INVALID),
        (_view(), "nonsense", 1, TapVerdict.INVALID),
        (_view(step="left_out"), "mood", 3, TapVerdict.ALREADY),
        (_view(status=CheckinStatus.COMPLETED), "mood", 3, TapVerdict.CLOSED),
        (_view(expires=NOW), "mood", 3, TapVerdict.CLOSED),
        (_view(step="words"), "words", SKIP, TapVerdict.ACCEPT),
        (_view(step="alone"), "alone", SKIP, TapVerdict.INVALID),
    ],
)
def test_judge_tap(view, step, value, verdict):
    assert judge_tap(view, step, value, Q, NOW) == verdict


def test_reminder_is_moved_out_of_quiet_hours_or_dropped():
    tz = ZoneInfo("Asia/Shanghai")
    blocked = BlockedTimes.parse(["mon-fri 08:00-16:30", "daily 21:00-07:30"])
    due = NOW  # 17:30 local
    assert reminder_time(due, due + timedelta(hours=24), timedelta(hours=3), tz, blocked) == (
        due + timedelta(hours=3)
    )
    # 4 h later is 21:30, in quiet hours: moved to 07:30 next morning.
    moved = reminder_time(due, due + timedelta(hours=24), timedelta(hours=4), tz, blocked)
    assert moved == datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    # With a 6 h window nothing allowed is left before it closes.
    assert reminder_time(due, due + timedelta(hours=6), timedelta(hours=4), tz, blocked) is None


def test_end_status():
    assert end_status(0) == CheckinStatus.MISSED and end_status(2) == CheckinStatus.INCOMPLETE


def test_consent_needs_both_and_no_pause():
    assert may_check_in(ConsentState(True, True), paused=False)
    assert not may_check_in(ConsentState(True, True), paused=True)
    assert ConsentState(False, True).missing() == [ConsentKind.GUARDIAN]


def test_invite_codes_fit_deep_links_and_hash_stably():
    code = new_code()
    assert looks_like_code(code) and len(code) <= 64
    assert hash_code(code) == hash_code(code) != hash_code(new_code())
    assert deep_link("tongban_bot", code) == f"https://t.me/tongban_bot?start={code}"
    assert not looks_like_code("short") and not looks_like_code("has space in it 123456")


def test_names_are_cleaned_and_compared_loosely():
    assert clean_name("  Xiao   Ming ") == "Xiao Ming"
    assert nickname_key("ＸｉａｏＭｉｎｇ ") == nickname_key("xiaoming")
    for bad in ("", "x" * 33, "a\u0000b"):
        with pytest.raises(ValueError):
            clean_name(bad)


def test_help_lists_commands_of_every_role_held():
    assert "invite" not in commands_for({Role.CHILD})
    both = commands_for({Role.CHILD, Role.COORDINATOR})
    assert "pause" in both and "invite" in both and len(both) == len(set(both))


def test_the_light_form_asks_a_face_and_a_word_and_has_no_score():
    light = Q.variant("light")
    assert [step.key for step in light.steps] == ["mood", "words"]
    assert light.first_step == "mood" and light.next_step("mood") == "words"
    assert light.position("words") == (2, 2)
    assert light.score({"mood": 2}) is None
    assert Q.variant(None) is Q and Q.score({"companionship": 1, "left_out": 1, "alone": 1}) == 3


def test_the_light_form_refuses_a_tap_on_a_question_it_does_not_ask():
    view = _view(step="mood")
    assert judge_tap(view, "companionship", 1, Q.variant("light"), NOW) == TapVerdict.INVALID


def test_an_awaited_answer_lapses_and_never_mixes_kinds():
    from bot.domain.awaiting import awaited, awaiting

    asked = awaiting("reply", 42, NOW)
    assert awaited(asked, "reply", NOW + timedelta(minutes=5), timedelta(hours=2)) == 42
    assert awaited(asked, "reply", NOW + timedelta(hours=3), timedelta(hours=2)) is None
    assert awaited(asked, "outcome", NOW, timedelta(hours=2)) is None
    assert awaited("reply:x:y", "reply", NOW, timedelta(hours=2)) is None
    assert awaited(None, "reply", NOW, timedelta(hours=2)) is None


def test_words_waiting_to_be_read_never_change_the_parents_update():
    assert invites_parent_to_write("low_mood", "alert")
    assert not invites_parent_to_write("please_read", "alert")  # may be an abuse disclosure
    assert not invites_parent_to_write("crisis", "urgent")
