"""The per-child detector: known trajectories, the edges (new child, all missed, constant
answers, partial check-ins), drift alerts and their reset, and its stored state (level rules
and the standing flag: test_level_rules.py; the estimation: test_changepoint.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import cycle, islice
from zoneinfo import ZoneInfo

import pytest

from bot.domain.detection import (
    DEFAULT_PARAMS,
    DetectionParams,
    DetectorState,
    Observation,
    Reason,
    Severity,
    run,
    step,
)
from bot.domain.detection.baseline import composite
from bot.domain.detection.changepoint import cusum_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 17, 30, tzinfo=SHANGHAI)

# A steady child: loneliness 4-6, mood 3-4 (composite 6-9, SD about 1); repeats every 6.
STEADY = [
    (4, (1, 2, 1)),
    (3, (2, 2, 1)),
    (4, (1, 1, 2)),
    (4, (2, 2, 2)),
    (3, (1, 2, 1)),
    (4, (2, 1, 1)),
]


def at(n: int) -> datetime:
    """The n-th scheduled check-in: Monday, Wednesday and Friday each week."""
    return MONDAY + timedelta(days=7 * (n // 3) + 2 * (n % 3))


def answers(pairs, first: int = 0) -> list[Observation]:
    return [Observation(at(first + i), mood=m, items=items) for i, (m, items) in enumerate(pairs)]


def missed(count: int, first: int = 0) -> list[Observation]:
    return [Observation(at(first + i), missed=True) for i in range(count)]


def reasons(signals) -> list[Reason]:
    return [signal.reason for signal in signals]


def test_a_steady_child_raises_nothing_over_a_year():
    assert run(answers(islice(cycle(STEADY), 156))) == []


def test_a_sustained_two_sd_rise_is_found_as_drift_within_a_few_check_ins():
    before = answers(islice(cycle(STEADY), 60))
    # composite up by about 2 SD (loneliness +1, mood -1) from check-in 60 on
    risen = [(m - 1, (a + 1, b, c) if a < 3 else (a, b + 1, c)) for m, (a, b, c) in STEADY]
    after = answers(islice(cycle(risen), 30), first=60)
    signals = run(before + after)
    drift = [s for s in signals if s.reason == Reason.DRIFT]
    assert drift and drift[0].severity == Severity.ALERT
    found_at = next(i for i, o in enumerate(after) if o.at == drift[0].at)
    assert found_at < 10
    assert drift[0].since is not None and drift[0].since >= after[0].at


def test_a_new_child_who_starts_high_gets_no_drift_before_a_baseline():
    high = answers([(2, (3, 2, 2))] * DEFAULT_PARAMS.min_answered)
    assert Reason.DRIFT not in reasons(run(high))


def test_an_observation_without_any_answer_counts_as_missed():
    state, _ = step(DetectorState(), Observation(at(0)))
    assert state.missed_run == 1


def test_constant_answers_have_a_floored_spread_and_one_bad_day_is_not_an_alert():
    same = answers([(5, (1, 1, 1))] * 40)
    state = DetectorState()
    for observation in same:
        state, signals = step(state, observation)
        assert signals == []
    values = [composite(s, m, DEFAULT_PARAMS) for s, m, *_ in state.history]
    gaps = [gap for _, _, gap, _ in state.history]
    assert cusum_step(values, gaps, 0.5, 0, DEFAULT_PARAMS).sd >= DEFAULT_PARAMS.spread_floor
    bad_day = Observation(at(40), mood=1, items=(3, 3, 3))
    state, signals = step(state, bad_day)
    assert Reason.DRIFT not in reasons(signals)
    for observation in answers([(5, (1, 1, 1))] * 10, first=41):
        state, signals = step(state, observation)
        assert signals == []


def test_missed_and_partly_answered_check_ins_are_the_gap_of_the_next_complete_one():
    state = DetectorState()
    history = answers(STEADY[:2]) + missed(2, first=2) + [Observation(at(4), mood=3)]
    history += answers(STEADY[2:3], first=5) + answers(STEADY[3:4], first=6)
    for observation in history:
        state, _ = step(state, observation)
    # five complete answers in the statistic would be wrong: the partial one is only a gap
    assert [gap for _, _, gap, _ in state.history] == [1, 1, 4, 1]
    assert state.gap == 0 and state.missed_run == 0
    assert state.history[-1][3] == int(at(6).timestamp())


def test_a_drift_alert_says_since_when_and_makes_the_new_level_the_usual():
    before = answers(islice(cycle(STEADY), 45))
    risen = answers([(2, (3, 3, 2))] * 12, first=45)
    state, found = DetectorState(), []
    for observation in before + risen:
        state, signals = step(state, observation)
        found += [(observation.at, s) for s in signals if s.reason == Reason.DRIFT]
    assert len(found) == 1, "one alert for one rise, not one every cooldown"
    when, signal = found[0]
    assert risen[0].at <= signal.since <= when
    # only the answers since the step are the child's usual now
    assert state.history[0][3] == int(signal.since.timestamp()) and len(state.history) <= 12


def test_partly_answered_check_ins_do_not_move_the_statistic():
    state = DetectorState()
    for observation in answers(islice(cycle(STEADY), 20)):
        state, _ = step(state, observation)
    kept, cusum = len(state.history), state.cusum
    for i, (mood, items) in enumerate([(1, None), (None, (3, 3, 3))]):
        state, _ = step(state, Observation(at(20 + i), mood=mood, items=items))
    assert len(state.history) == kept and state.cusum == cusum and state.gap == 2


def test_state_survives_a_json_round_trip_midway_and_gives_the_same_signals():
    history = answers(islice(cycle(STEADY), 50)) + missed(7, first=50)
    history += answers([(2, (3, 3, 3))] * 12, first=57)
    straight = run(history)
    state, resumed = DetectorState(), []
    for i, observation in enumerate(history):
        if i % 5 == 0:
            state = DetectorState.from_dict(json.loads(json.dumps(state.to_dict())))
        state, signals = step(state, observation)
        resumed.extend(signals)
    assert resumed == straight
    assert {
        Reason.SILENCE_CARER,
        Reason.SILENCE_TASK,
        Reason.DRIFT,
        Reason.CONSISTENTLY_LONELY,  # flagged_at survives the round trip: raised only once
    } <= set(reasons(straight))


def test_an_unknown_state_version_starts_afresh():
    assert DetectorState.from_dict({"version": 999, "cusum": 42.0}) == DetectorState()


def test_replay_is_deterministic():
    history = answers(islice(cycle(STEADY), 40)) + answers([(1, (3, 3, 3))] * 10, first=40)
    assert run(history) == run(history)


@pytest.mark.parametrize(
    "bad",
    [
        {"at": datetime(2026, 3, 2, 17, 30)},  # noqa: DTZ001 - the naive time is the point
        {"at": MONDAY, "mood": 6},
        {"at": MONDAY, "items": (1, 2, 4)},
        {"at": MONDAY, "items": (1, 2)},
    ],
)
def test_observations_reject_naive_times_and_answers_off_the_scales(bad):
    with pytest.raises(ValueError):
        Observation(**bad)


def test_params_refuse_an_h_one_bad_day_could_reach():
    with pytest.raises(ValueError):
        DetectionParams(drift_h=1.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"high_run": 0},
        {"low_mood_run": 0},
        {"level_min_answered": 0},
        {"phi_max": 1.0},
        {"silence_carer_cap": 5},  # not after the retry's cap
        {"silence_carer_cap": 15},  # not before the task's
        {"lonely_flag_window": 8},  # fewer than the flag needs
        {"lonely_flag_z": -1.0},
    ],
)
def test_params_refuse_rules_out_of_range(bad):
    with pytest.raises(ValueError):
        DetectionParams(**bad)
