"""The estimation behind the drift rule: the child's own autocorrelation, the prediction's
variance (which includes the level's own uncertainty), the threshold set on standard noise, and
the stored state's new shape."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace

import pytest

from bench.detector_threshold import yearly_peak
from bot.domain.detection import DEFAULT_PARAMS, DetectorState
from bot.domain.detection.changepoint import (
    answer_rate,
    cusum_step,
    drift,
    estimate_phi,
    interpolate,
    prewhiten,
    threshold,
)
from bot.domain.detection.drift_table import SHARE
from bot.domain.detection.state import STATE_VERSION

OWN = replace(DEFAULT_PARAMS, phi_prior_weight=0.0)  # the child's estimate alone


def ar1(phi: float, n: int, seed: int) -> list[float]:
    rng, x, out = random.Random(seed), 0.0, []
    for _ in range(n):
        x = phi * x + math.sqrt(1 - phi * phi) * rng.gauss(0, 1)
        out.append(7 + 1.5 * x)
    return out


@pytest.mark.parametrize("phi", [0.0, 0.3, 0.5])
def test_phi_is_learnt_from_the_childs_own_consecutive_answers(phi):
    estimates = [estimate_phi(ar1(phi, 100, seed), [1] * 100, OWN) for seed in range(40)]
    assert abs(sum(estimates) / len(estimates) - phi) < 0.06


def test_phi_uses_phi_to_the_gap_across_missed_check_ins():
    # every other check-in answered: pairs two apart show phi ** 2, and phi comes back
    series = ar1(0.5, 400, 7)[::2]
    estimate = estimate_phi(series, [2] * len(series), replace(OWN, phi_prior=0.5))
    assert 0.35 < estimate < 0.65
    # pairs too far apart say nothing: the prior stands
    assert estimate_phi(series, [9] * len(series), DEFAULT_PARAMS) == DEFAULT_PARAMS.phi_prior


def test_phi_is_shrunk_toward_the_prior_while_few_pairs_are_known_and_held_in_range():
    few = [7.0, 9.0, 7.0, 9.0, 7.0]  # alternating: a strongly negative raw estimate
    assert estimate_phi(few, [1] * 5, DEFAULT_PARAMS) >= DEFAULT_PARAMS.phi_min
    steady = ar1(0.6, 12, 3)
    shrunk = estimate_phi(steady, [1] * 12, DEFAULT_PARAMS)
    own = estimate_phi(steady, [1] * 12, OWN)
    assert abs(shrunk - DEFAULT_PARAMS.phi_prior) < abs(own - DEFAULT_PARAMS.phi_prior)
    assert estimate_phi([7.0, 8.0], [1, 1], DEFAULT_PARAMS) == DEFAULT_PARAMS.phi_prior


def test_prewhitening_turns_the_level_into_a_weight_per_answer():
    u, a = prewhiten([7.0, 7.0, 7.0], [1, 1, 3], 0.5)
    assert a[0] == 1.0 and u[0] == 7.0
    assert u[1] == pytest.approx(a[1] * 7.0) and u[2] == pytest.approx(a[2] * 7.0)
    assert a[1] < a[2] < 1  # a longer gap leaves more of the answer new


def test_the_same_surprise_counts_less_while_the_level_rests_on_few_answers():
    rng = random.Random(5)
    past = [7 + rng.choice((-1.0, 0.0, 1.0)) for _ in range(60)]
    young = cusum_step([*past[:9], 10.0], [1] * 10, 1.0, 0, DEFAULT_PARAMS)
    old = cusum_step([*past, 10.0], [1] * 61, 1.0, 0, DEFAULT_PARAMS)
    surprise = [(10.0 - step.level) / step.sd for step in (young, old)]
    assert young.z / surprise[0] < old.z / surprise[1]  # wider prediction: smaller z per SD
    assert old.z <= DEFAULT_PARAMS.z_cap


@pytest.mark.parametrize(("phi", "rate"), [(0.0, 0.7), (0.45, 0.7), (0.3, 0.5)])
def test_the_threshold_table_alerts_about_its_share_at_any_persistence(phi, rate):
    # the table was fitted by bench/detector_threshold.py (1,000 children a cell); a re-check
    rng = random.Random(f"20261204/{phi}/{rate}")
    peaks = [yearly_peak(rng, DEFAULT_PARAMS, phi, rate) for _ in range(150)]
    share = sum(peak >= 1 for peak in peaks) / len(peaks)
    assert share <= 3 * SHARE


def test_the_threshold_follows_the_childs_persistence_and_answer_rate():
    low, high = (threshold(phi, 0.7, DEFAULT_PARAMS) for phi in (0.05, 0.45))
    assert DEFAULT_PARAMS.drift_h <= low < high  # a persistent child's CUSUM wanders higher
    assert threshold(0.2, 0.9, DEFAULT_PARAMS) > threshold(0.2, 0.5, DEFAULT_PARAMS)
    scaled = replace(DEFAULT_PARAMS, drift_h_scale=2.0)
    assert threshold(0.2, 0.7, scaled) == pytest.approx(2 * threshold(0.2, 0.7, DEFAULT_PARAMS))
    off = replace(DEFAULT_PARAMS, drift_h=1e9)  # drift_h is a floor: this turns drift off
    assert threshold(0.2, 0.7, off) == 1e9


def test_the_table_is_read_linearly_and_held_at_its_edges():
    rows = ((0.5, ((0.0, 8.0), (0.4, 12.0))), (0.9, ((0.0, 10.0), (0.4, 14.0))))
    assert interpolate(rows, 0.2, 0.5) == pytest.approx(10.0)
    assert interpolate(rows, 0.2, 0.7) == pytest.approx(11.0)
    assert interpolate(rows, -1.0, 0.1) == 8.0 and interpolate(rows, 0.9, 1.0) == 14.0


def test_the_answer_rate_counts_scheduled_check_ins_between_complete_answers():
    assert answer_rate([1, 1, 2, 4]) == pytest.approx(0.5)
    assert answer_rate([]) == 0.0


def test_the_profile_likelihood_design_finds_a_step_and_names_its_start():
    steady = ar1(0.2, 40, 11)
    risen = [v + 4.5 for v in ar1(0.2, 10, 12)]  # +3 SD for ten answers
    glr = replace(DEFAULT_PARAMS, drift_design="glr", hold=10)  # as it was measured
    found = drift(steady + risen, [1] * 50, 1.5, glr)
    assert found.statistic > 6 and 8 <= found.after <= 15  # a few steady ones were high
    assert drift(steady, [1] * 40, 1.5, glr).statistic < 6


def test_the_state_stores_gaps_and_times_and_an_old_version_starts_afresh():
    state = DetectorState(history=((4, 4, 1, 1772443800), (5, 3, 2, 1772616600)), gap=1)
    stored = json.loads(json.dumps(state.to_dict()))
    assert stored["version"] == STATE_VERSION == 2
    assert DetectorState.from_dict(stored) == state
    old = {"version": 1, "history": [[4, 4]], "pending": [], "cusum": 3.0}
    assert DetectorState.from_dict(old) == DetectorState()


def test_the_threshold_reads_phi_from_before_the_run_so_a_rise_cannot_raise_it():
    steady = ar1(0.1, 40, 21)
    risen = [v + 2.0 for v in ar1(0.1, 20, 22)]  # a step looks like persistence
    values, gaps = steady + risen, [1] * 60
    moved = cusum_step(values, gaps, 1.5, 19, DEFAULT_PARAMS)  # the run began at the step
    assert moved.phi_start == estimate_phi(steady, [1] * 40, DEFAULT_PARAMS)
    assert moved.phi_start < moved.phi
    fresh = cusum_step(values, gaps, 1.5, 0, DEFAULT_PARAMS)  # no run: the two are one
    assert fresh.phi_start == fresh.phi
