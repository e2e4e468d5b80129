"""The check-in step rules on the in-memory store: a tap on the current step, on a stale one,
a double tap, the last step, someone else's check-in, and words awaited (siblings on one phone)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.db.models import Answer
from bot.domain.actions import CheckinAnswer
from bot.domain.checkin_rules import DONE_STEP, SKIP, CheckinStatus
from bot.services.checkins.checkins import record_tap, record_words
from bot.services.errors import UserError
from bot.services.outcome import Outcome
from tests.unit.checkins.conftest import add_checkin, add_child


async def tap(deps, store, people, checkin, step, value) -> Outcome:  # type: ignore[no-untyped-def]
    return await record_tap(deps, store, None, people, CheckinAnswer(checkin.id, step, value))  # type: ignore[arg-type]


async def test_a_tap_on_the_current_step_is_stored_and_shows_the_next(deps, store, observed):
    child = add_child(store)
    checkin = add_checkin(store, child)
    outcome = await tap(deps, store, [child], checkin, "mood", 4)
    assert checkin.step == "companionship"
    assert [(a.question, a.value) for a in store.rows(Answer)] == [("mood", 4)]
    assert outcome.toast == deps.texts.label("noted", "en")
    assert outcome.edit is not None and outcome.edit.buttons  # the next question's buttons
    assert observed == []


async def test_a_tap_on_a_stale_step_stores_nothing_and_shows_where_it_is(deps, store, observed):
    child = add_child(store)
    checkin = add_checkin(store, child, step="left_out")
    outcome = await tap(deps, store, [child], checkin, "mood", 2)  # an old copy of the message
    assert store.rows(Answer) == []
    assert checkin.step == "left_out"
    assert outcome.toast == deps.texts.label("already_noted", "en")
    again = await tap(deps, store, [child], checkin, "left_out", 1)
    assert outcome.edit is not None and again.edit is not None
    assert outcome.edit.text != again.edit.text  # it showed left_out, not the next step


async def test_a_tap_that_loses_a_double_tap_race_stores_nothing(
    deps, store, observed, monkeypatch
):
    child = add_child(store)
    checkin = add_checkin(store, child)
    moved = store.checkins.advance

    async def other_tap_first(checkin_id: int, from_step: str, to_step: str) -> bool:
        # Both taps read the check-in at "mood"; the other one's conditional update lands first.
        assert await moved(checkin_id, from_step, to_step)
        return await moved(checkin_id, from_step, to_step)

    monkeypatch.setattr(store.checkins, "advance", other_tap_first)
    outcome = await tap(deps, store, [child], checkin, "mood", 3)
    assert store.rows(Answer) == []
    assert outcome.toast == deps.texts.label("already_noted", "en")


async def test_the_last_step_completes_scores_and_is_observed_once(deps, store, observed):
    child = add_child(store)
    checkin = add_checkin(store, child)
    for step, value in (("mood", 2), ("companionship", 3), ("left_out", 3), ("alone", 2)):
        await tap(deps, store, [child], checkin, step, value)
    assert checkin.step == "words" and checkin.status == CheckinStatus.OPEN.value
    outcome = await tap(deps, store, [child], checkin, "words", SKIP)
    assert checkin.status == CheckinStatus.COMPLETED.value
    assert checkin.step == DONE_STEP
    assert checkin.score == 8  # the three loneliness items
    assert checkin.completed_at == deps.clock.now()
    assert observed == [checkin]
    assert outcome.edit is not None and not outcome.edit.buttons  # the thank-you, no buttons
    late = await tap(deps, store, [child], checkin, "words", SKIP)
    assert late.toast == deps.texts.label("checkin_closed", "en")
    assert observed == [checkin]


async def test_an_expired_check_in_answers_closed(deps, store, observed):
    child = add_child(store)
    checkin = add_checkin(store, child)
    deps.clock.advance(timedelta(hours=25))
    outcome = await tap(deps, store, [child], checkin, "mood", 4)
    assert outcome.toast == deps.texts.label("checkin_closed", "en")
    assert store.rows(Answer) == [] and checkin.step == "mood"


async def test_someone_elses_check_in_and_a_forged_value_are_refused(deps, store, observed):
    child, other = add_child(store), add_child(store, "Xiaohong", telegram_id=502)
    checkin = add_checkin(store, child)
    assert await tap(deps, store, [other], checkin, "mood", 4) == Outcome.refusal()
    assert await tap(deps, store, [child], checkin, "mood", 9) == Outcome.refusal()
    assert store.rows(Answer) == []


async def test_words_awaited_complete_the_check_in(deps, store, observed):
    child = add_child(store)
    checkin = add_checkin(store, child, step="words")
    found = await record_words(deps, store, 501, text="we had dumplings")
    assert found == (checkin, child)
    assert [(a.question, a.text) for a in store.rows(Answer)] == [("words", "we had dumplings")]
    assert checkin.status == CheckinStatus.COMPLETED.value and observed == [checkin]
    assert await record_words(deps, store, 501, text="and more") is None  # nothing waits now


async def test_words_not_awaited_are_not_taken(deps, store, observed):
    child = add_child(store)
    add_checkin(store, child, step="alone")
    assert await record_words(deps, store, 501, text="hello") is None
    assert store.rows(Answer) == []


async def test_siblings_on_one_phone_need_a_reply_to_say_whose_words(deps, store, observed):
    elder, younger = add_child(store, "Dabao"), add_child(store, "Erbao")
    first = add_checkin(store, elder, step="words", message_id=900)
    second = add_checkin(store, younger, step="words", message_id=901)
    with pytest.raises(UserError) as refused:
        await record_words(deps, store, 501, text="hi")
    assert refused.value.reason == "words_whose"
    found = await record_words(deps, store, 501, text="hi", reply_to=900)
    assert found == (first, elder)
    assert second.status == CheckinStatus.OPEN.value


async def test_a_reply_to_a_siblings_open_questions_is_not_words(deps, store, observed):
    elder, younger = add_child(store, "Dabao"), add_child(store, "Erbao")
    waiting = add_checkin(store, elder, step="words", message_id=900)
    add_checkin(store, younger, step="mood", message_id=901)
    assert await record_words(deps, store, 501, text="hi", reply_to=901) is None
    assert waiting.status == CheckinStatus.OPEN.value
