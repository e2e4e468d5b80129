"""The level rules (only at the extremes, only once the child's usual is known) and the standing
"consistently lonely" flag (usual score above the lonely line by its own standard error).

Changed deliberately (issue 10): the relative bars (usual + 3.5, a new child's 8.1) and the
median-of-eight flag are gone; a brand-new child is no longer alerted by level rules, and the
flag waits for 12 complete check-ins."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from itertools import pairwise

import pytest

from bot.domain.detection import (
    DEFAULT_PARAMS,
    DetectionParams,
    Observation,
    Reason,
    Severity,
    run,
)
from tests.unit.detection.test_detector import answers, at, missed

NINE, EIGHT, SEVEN, SIX = (3, (3, 3, 3)), (3, (3, 3, 2)), (3, (3, 2, 2)), (3, (2, 2, 2))
CALM, FIVE = (4, (1, 1, 1)), (3, (2, 2, 1))
HAPPY, SADDEST, SAD = (5, (1, 1, 1)), (1, (1, 1, 1)), (2, (1, 1, 1))
NO_DRIFT = replace(DEFAULT_PARAMS, drift_h=1e9)  # to watch a level rule alone


def highs(signals) -> list[datetime]:
    return [s.at for s in signals if s.reason == Reason.HIGH_LONELINESS]


def lows(signals) -> list[datetime]:
    return [s.at for s in signals if s.reason == Reason.LOW_MOOD]


def flags(signals) -> list[datetime]:
    return [s.at for s in signals if s.reason == Reason.CONSISTENTLY_LONELY]


@pytest.mark.parametrize(
    ("history", "fires_at"),
    [
        ([CALM] * 8 + [NINE, NINE], 9),  # usual 3: 9 of 9 twice
        ([CALM] * 8 + [NINE, CALM, NINE], None),  # not in a row
        ([CALM] * 8 + [EIGHT, EIGHT], None),  # only 9 counts
        ([FIVE] * 8 + [NINE, NINE], None),  # usual 5 is above 4.5: drift's and the flag's
        ([NINE, NINE], None),  # a brand-new child: its usual is not known yet
        ([CALM] * 3 + [NINE, NINE], None),
    ],
)
def test_very_lonely_twice_alerts_only_a_usually_calm_child(history, fires_at):
    found = highs(run(answers(history), NO_DRIFT))
    assert found == ([] if fires_at is None else [at(fires_at)])


def test_high_loneliness_runs_skip_missed_and_itemless_check_ins_and_cool_down():
    history = answers([CALM] * 8) + answers([NINE], first=8) + missed(1, first=9)
    history += [Observation(at(10), mood=3)]  # no items: neither extends nor breaks the run
    history += answers([NINE] * 10, first=11)
    signals = [s for s in run(history, NO_DRIFT) if s.reason == Reason.HIGH_LONELINESS]
    assert signals[0].at == at(11) and signals[0].since == at(8)
    assert signals[0].severity == Severity.ALERT
    assert all(b.at - a.at >= DEFAULT_PARAMS.cooldown for a, b in pairwise(signals))


def test_low_mood_is_the_saddest_face_twice_for_a_usually_happy_child():
    assert lows(run(answers([HAPPY] * 8 + [SADDEST] * 2), NO_DRIFT)) == [at(9)]
    assert lows(run(answers([HAPPY] * 8 + [SAD] * 4), NO_DRIFT)) == []  # only the saddest
    assert lows(run(answers([(3, (1, 1, 1))] * 8 + [SADDEST] * 4), NO_DRIFT)) == []
    assert lows(run(answers([SADDEST] * 4), NO_DRIFT)) == []  # usual not known yet


def test_the_cooldown_lets_a_lasting_problem_come_back_later():
    found = lows(run(answers([HAPPY] * 8 + [SADDEST] * 15), NO_DRIFT))
    assert len(found) == 3  # five weeks: after each 14-day cooldown
    assert all(b - a >= DEFAULT_PARAMS.cooldown for a, b in pairwise(found))


def test_params_can_restore_an_absolute_rule():
    absolute = DetectionParams(high_score=7, high_usual_max=9.0, level_min_answered=1)
    assert highs(run(answers([CALM, SEVEN, SEVEN]), absolute)) == [at(2)]
    assert highs(run(answers([CALM, SEVEN, SEVEN]))) == []


def test_a_steadily_lonely_child_is_flagged_once_and_not_alerted():
    signals = run(answers([NINE] * 20))
    assert flags(signals) == [at(11)]  # the twelfth complete check-in
    assert highs(signals) == [] and Reason.DRIFT not in {s.reason for s in signals}
    flag = next(s for s in signals if s.reason == Reason.CONSISTENTLY_LONELY)
    assert flag.severity == Severity.WATCH and "usual score 9.0" in flag.detail


@pytest.mark.parametrize(
    ("history", "flagged_at"),
    [
        ([SEVEN, EIGHT] * 6, 11),  # usual 7.5 +- 0.1
        ([SEVEN, EIGHT] * 5 + [SEVEN], None),  # eleven are not enough
        ([SIX] * 3 + [EIGHT] * 9, 11),  # 7.5 +- 0.25
        ([SIX] * 24, None),  # at the line, not above it
        ([FIVE, SIX, SEVEN] * 8, None),  # usual 6: not above by 1.645 standard errors
        ([FIVE, SIX, NINE] * 4, None),  # usual 6.7 but too changeable to be sure: +- 0.5
        ([FIVE, SIX, NINE] * 8, 17),  # more of the same makes it sure: 6.7 +- 0.4 at 18
    ],
)
def test_the_flag_needs_the_usual_score_above_six_by_its_standard_error(history, flagged_at):
    found = flags(run(answers(history)))
    assert found == ([] if flagged_at is None else [at(flagged_at)])


def test_partly_answered_and_missed_check_ins_are_not_counted_for_the_flag():
    gappy = answers([SEVEN] * 6) + missed(2, first=6) + answers([(3, None)], first=8)
    gappy += answers([SEVEN] * 6, first=9)
    assert flags(run(gappy)) == [at(14)]


def test_the_flag_is_raised_once_per_child_even_after_a_better_spell():
    history = answers([SEVEN] * 12 + [CALM] * 10 + [SEVEN] * 14)
    assert flags(run(history)) == [at(11)]
