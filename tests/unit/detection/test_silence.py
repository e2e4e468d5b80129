"""Silence against the child's own habit (silence.py): the posterior, its forgetting, the
budgets and caps, extra asks as evidence, and a new child."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.detection import DEFAULT_PARAMS, DetectorState, Observation, Reason, run, step
from bot.domain.detection.silence import rate_posterior, run_probability, yearly_count

MONDAY = datetime(2026, 3, 2, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
LADDER = [Reason.SILENCE_RETRY, Reason.SILENCE_CARER, Reason.SILENCE_TASK]


def at(n: int) -> datetime:
    return MONDAY + timedelta(days=2 * n)


def habit(pattern: str, first: int = 0) -> list[Observation]:
    """'a' answered, 'm' missed scheduled, 'x' missed extra ask, 'e' answered extra ask."""
    out = []
    for i, c in enumerate(pattern, start=first):
        extra = c in "xe"
        if c in "ae":
            out.append(Observation(at(i), mood=4, extra=extra))
        else:
            out.append(Observation(at(i), missed=True, extra=extra))
    return out


def first_of(signals, reason: Reason) -> datetime | None:
    return next((s.at for s in signals if s.reason == reason), None)


def steps_in_order(signals) -> list[Reason]:
    """The ladder's steps as first reached (the retry repeats as further extra asks)."""
    seen: list[Reason] = []
    for signal in signals:
        if signal.reason not in seen:
            seen.append(signal.reason)
    return seen


def feed(observations, state: DetectorState | None = None) -> DetectorState:
    state = state or DetectorState()
    for observation in observations:
        state, _ = step(state, observation)
    return state


def test_run_probability_is_the_beta_moment():
    # E[(1-p)^2] for p ~ Beta(2, 1): integral of 2p (1-p)^2 = 1/6
    assert run_probability(2, 1, 2, 0, 1.0) == pytest.approx(1 / 6)
    # one extra ask answered at the full rate counts as one more miss
    assert run_probability(2, 1, 2, 1, 1.0) == pytest.approx(run_probability(2, 1, 3, 0, 1.0))
    # a less ready answer to extra asks makes their misses weaker evidence
    assert run_probability(2, 1, 2, 1, 0.5) > run_probability(2, 1, 3, 0, 1.0)


def test_the_posterior_follows_the_childs_answers_and_forgets_slowly():
    assert rate_posterior(DetectorState(), DEFAULT_PARAMS) == pytest.approx((2.1, 0.9))
    answers, misses = rate_posterior(feed(habit("a" * 30)), DEFAULT_PARAMS)
    assert answers / (answers + misses) > 0.9
    keep = DEFAULT_PARAMS.silence_forgetting
    assert answers - 2.1 == pytest.approx((1 - keep**30) / (1 - keep))  # older counts less
    # a habit that drifts is followed: after a year of answering, months of half
    state = feed(habit("a" * 100 + "am" * 60))
    answers, misses = rate_posterior(state, DEFAULT_PARAMS)
    assert 0.45 < answers / (answers + misses) < 0.6


def test_a_silence_is_judged_against_the_posterior_from_before_it():
    before = feed(habit("a" * 40))
    during = feed(habit("mmm", first=40), before)
    assert (during.answer_hits, during.answer_misses) == (before.answer_hits, before.answer_misses)
    after = feed(habit("a", first=43), during)  # the answer folds the run in
    assert after.answer_misses > before.answer_misses + 2.5
    assert after.missed_run == after.extras_missed == after.silence_step == 0


def test_two_misses_worry_more_for_a_child_who_always_answers():
    reliable = feed(habit("a" * 60 + "mm", first=0))
    casual = feed(habit("am" * 30 + "mm", first=0))
    assert yearly_count(reliable, DEFAULT_PARAMS) < yearly_count(casual, DEFAULT_PARAMS) / 3
    reliable_task = first_of(run(habit("a" * 60 + "m" * 12)), Reason.SILENCE_TASK)
    assert reliable_task is not None and reliable_task <= at(60 + 3)  # the 4th miss at most
    # the child who answers half the time needs a longer silence for the same step
    casual_task = first_of(run(habit("am" * 30 + "m" * 12)), Reason.SILENCE_TASK)
    assert casual_task is not None and casual_task > reliable_task


def test_a_child_whose_misses_come_in_runs_is_judged_by_them():
    clustered = feed(habit(("a" * 7 + "mmm") * 8 + "aa" + "mmm"))  # answers 70%, misses in threes
    scattered = feed(habit("aamaaamaam" * 8 + "aa" + "mmm"))  # the same rate, misses alone
    assert yearly_count(clustered, DEFAULT_PARAMS) > 3 * yearly_count(scattered, DEFAULT_PARAMS)
    assert _clustered_share(clustered) > 0.8  # its past runs are explained by their own q


def _clustered_share(state: DetectorState) -> float:
    from bot.domain.detection.silence import _clustered_share as share

    answers, misses = rate_posterior(state, DEFAULT_PARAMS)
    rate = answers / (answers + misses)
    weight = DEFAULT_PARAMS.silence_run_weight
    return share(state, rate, weight * (1 - rate), weight * rate, DEFAULT_PARAMS)


def test_steps_come_in_order_once_each_and_the_task_repeats_while_the_silence_lasts():
    signals = run(habit("a" * 30 + "m" * 20))
    assert steps_in_order(signals) == LADDER
    tasks = [s for s in signals if s.reason == Reason.SILENCE_TASK]
    assert len([s for s in signals if s.reason == Reason.SILENCE_CARER]) == 1
    assert first_of(signals, Reason.SILENCE_CARER) < tasks[0].at  # the carer comes first
    gaps = {(b.at - a.at).days // 2 for a, b in pairwise(tasks)}
    assert gaps == {DEFAULT_PARAMS.silence_task_every}
    assert all(s.since == at(30) for s in signals)  # when the silence began
    assert [s.severity.value for s in signals if s.reason != Reason.SILENCE_RETRY][:2] == [
        "watch",
        "alert",
    ]


def test_a_cap_reaches_the_task_whatever_the_habit():
    params = replace(DEFAULT_PARAMS, silence_task_budget=1e-12, silence_carer_budget=1e-11)
    signals = run(habit("ma" * 40 + "m" * 20), params)
    task = first_of(signals, Reason.SILENCE_TASK)
    assert task == at(80 + params.silence_task_cap - 1)


def test_missed_extra_asks_are_evidence_and_an_answered_one_ends_the_silence():
    base = habit("a" * 40 + "mm")
    plain = feed(base + habit("m", first=42))
    with_asks = feed(base + habit("xxm", first=42))
    assert yearly_count(with_asks, DEFAULT_PARAMS) < yearly_count(plain, DEFAULT_PARAMS)
    ended = feed(base + habit("e", first=42))
    assert ended.missed_run == 0 and ended.missed_since is None
    assert ended.answer_hits < feed(base + habit("a", first=42)).answer_hits  # not in the rate


def test_extra_asks_are_made_after_the_retry_up_to_the_cap_and_not_outside_a_silence():
    assert run(habit("a" * 10 + "x" * 5)) == []  # a coordinator's ask missed: nothing
    signals = run(habit("a" * 30 + "mm" + "x" * 8))
    asks = [s for s in signals if s.reason == Reason.SILENCE_RETRY]
    assert 1 <= len(asks) <= DEFAULT_PARAMS.silence_extra_cap + 1


def stops(answered: int) -> int:
    """Scheduled check-ins (Mon, Wed, Fri) a child who answered `answered` of them and then
    stopped misses before the task, with the bot's extra asks on the days between."""
    state, asked, scheduled = feed(habit("a" * answered)), False, 0
    for day in range(200):
        extra = day % 7 not in (0, 2, 4)
        if extra and not asked:
            continue
        scheduled += not extra
        observation = Observation(MONDAY + timedelta(days=day), missed=True, extra=extra)
        state, signals = step(state, observation)
        if any(s.reason == Reason.SILENCE_TASK for s in signals):
            return scheduled
        asked = any(s.reason == Reason.SILENCE_RETRY for s in signals)
    raise AssertionError("no task")


def test_a_new_child_reaches_the_task_soon():
    assert stops(answered=0) <= 5  # never answered: within two weeks
    assert all(stops(answered) <= 4 for answered in (1, 2, 5, 10, 30))
    for history in ("", "a", "aa"):
        assert steps_in_order(run(habit(history + "m" * 12))) == LADDER


def test_state_round_trips_through_json_mid_silence():
    history = habit("a" * 30 + "mmx" + "m" * 6)
    straight = run(history)
    state, resumed = DetectorState(), []
    for observation in history:
        state = DetectorState.from_dict(json.loads(json.dumps(state.to_dict())))
        state, signals = step(state, observation)
        resumed.extend(signals)
    assert resumed == straight and math.isfinite(state.answer_hits)
    old = {k: v for k, v in state.to_dict().items() if not k.startswith(("answer_", "run_"))}
    assert DetectorState.from_dict(old).answer_hits == 0.0  # a state stored before: tolerated
