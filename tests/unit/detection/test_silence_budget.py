"""Silence budgets that move with the child's answer rate (silence_budget.py): flat where the
rate is the reference or the misses look clustered, larger where misses are rare, and a child
with little history not trusted to answer often."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.detection import DEFAULT_PARAMS, Observation, Reason, run
from bot.domain.detection.silence_budget import (
    budget_rate,
    flat_budgets,
    random_share,
    step_budgets,
)

P = DEFAULT_PARAMS
MONDAY = datetime(2026, 3, 2, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
FLAT = replace(P, silence_retry_slope=0.0, silence_carer_slope=0.0, silence_task_slope=0.0)


def habit(pattern: str) -> list[Observation]:
    """'a' answered, 'm' missed, one scheduled check-in every two days."""
    return [
        Observation(MONDAY + timedelta(days=2 * i), mood=4)
        if c == "a"
        else Observation(MONDAY + timedelta(days=2 * i), missed=True)
        for i, c in enumerate(pattern)
    ]


def task_at(pattern: str, params=P) -> int | None:
    signals = run(habit(pattern), params)
    first = next((s.at for s in signals if s.reason == Reason.SILENCE_TASK), None)
    return None if first is None else (first - MONDAY).days // 2


def test_budget_rate_sits_below_the_mean_and_nears_it_with_history():
    assert budget_rate(9, 1, P) < 0.9
    assert budget_rate(9, 1, P) < budget_rate(90, 10, P) < 0.9
    assert budget_rate(900, 100, P) == pytest.approx(0.9, abs=0.02)
    assert budget_rate(9, 1, replace(P, silence_budget_z=0.0)) == pytest.approx(0.9)


def test_budgets_are_flat_at_the_reference_rate_and_grow_with_the_rate():
    rate = P.silence_budget_rate
    z_free = replace(P, silence_budget_z=0.0)
    at_reference = step_budgets(rate * 100, (1 - rate) * 100, 0.0, z_free)
    assert at_reference == pytest.approx(flat_budgets(P))
    low, high = step_budgets(40, 60, 0.0, P), step_budgets(90, 10, 0.0, P)
    assert high[2] > flat_budgets(P)[2] > low[2]  # the task's budget follows the rate
    assert high[0] > low[0]  # so does the retry's
    assert high[1] == low[1] == P.silence_carer_budget  # the carer's word does not (slope 0)


def test_a_child_whose_misses_look_clustered_keeps_the_flat_budgets():
    assert random_share(0.0, P) == random_share(P.silence_slope_full, P) == 1.0
    assert random_share(P.silence_slope_none, P) == random_share(1.0, P) == 0.0
    assert 0 < random_share((P.silence_slope_full + P.silence_slope_none) / 2, P) < 1
    assert step_budgets(90, 10, 0.9, P) == pytest.approx(flat_budgets(P))


def test_a_child_who_answers_often_is_tasked_sooner_than_with_flat_budgets():
    pattern = "aaaaaaaaam" * 8 + "a" * 10 + "m" * 10  # answers 90%, then stops
    sloped, flat = task_at(pattern, P), task_at(pattern, FLAT)
    assert sloped is not None and flat is not None and sloped <= flat
    assert sloped <= 90 + 3  # within 4 scheduled check-ins


def test_a_child_who_answers_rarely_is_tasked_later_than_with_flat_budgets():
    pattern = "amm" * 30 + "m" * 30  # answers a third of the time, then stops
    sloped, flat = task_at(pattern, P), task_at(pattern, FLAT)
    assert sloped is not None and flat is not None and sloped >= flat


def test_a_new_child_keeps_the_flat_budgets():
    pattern = "aa" + "m" * 8  # a lucky start: its rate is not yet trusted
    assert task_at(pattern, P) == task_at(pattern, FLAT)


def test_slope_bounds_out_of_order_are_refused():
    with pytest.raises(ValueError):
        replace(P, silence_slope_full=0.5, silence_slope_none=0.4)
