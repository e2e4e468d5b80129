"""The per-child detector: one check-in in, a new state and any signals out.

Rules, each independent (a check-in may raise several signals):
- drift: has the child's own composite stepped up against its own past? A self-starting
  CUSUM of each answer's prediction error, prewhitened with the child's own autocorrelation
  and scaled by its own SD, the level's uncertainty included, against a threshold that
  follows the child's answer rate and autocorrelation (changepoint.py). After a drift alert
  the answers before the run are dropped: the new level is the child's usual.
- high_loneliness: 9 of 9 on consecutive answered check-ins, for a child whose usual score
  (from at least `level_min_answered` complete check-ins before the run) is low.
- low_mood: the saddest face on consecutive answered check-ins, for a usually happy child.
- silence: missed check-ins judged against the child's own answer rate (silence.py); first a
  retry to the child, then a short word to the carer at home, then a volunteer task.
- consistently lonely: a standing flag, raised once per child, when its usual score over the
  recent complete check-ins is above the lonely line by more than its own standard error;
  while it holds, the high-loneliness alert is held back (a steadily lonely child is not a
  rise: alerts are about change and danger); drift still speaks.
Missed check-ins neither move the statistics nor break answer streaks; they only count silence
(and the gap the autocorrelation is taken over).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from statistics import fmean, pstdev

from bot.domain.detection import silence
from bot.domain.detection.baseline import composite, prior_spread
from bot.domain.detection.changepoint import (
    Drift,
    answer_rate,
    cusum_step,
    drift,
    estimate_phi,
    threshold,
)
from bot.domain.detection.params import DEFAULT_PARAMS, DetectionParams
from bot.domain.detection.signals import Observation, Reason, Severity, Signal
from bot.domain.detection.state import DetectorState

_NEVER = 10**9  # a run length no child reaches: the rule counts but does not fire


def step(
    state: DetectorState, observation: Observation, params: DetectionParams = DEFAULT_PARAMS
) -> tuple[DetectorState, list[Signal]]:
    """Feed one check-in (in time order); returns the state to store and the signals raised."""
    if not observation.answered:
        return _silence(state, observation, params)
    # scheduled check-ins since the last complete answer (an extra ask is not one of them)
    gap = max(1, state.gap + state.missed_run + (0 if observation.extra else 1))
    state = silence.answered(state, observation, params)
    signals: list[Signal] = []
    before = state.history  # the usual the level rules compare with: as it stood
    if observation.loneliness is None or observation.mood is None:
        state = replace(state, gap=gap)  # partly answered: counted as a gap, not an answer
    else:
        entry = (observation.loneliness, observation.mood, gap, int(observation.at.timestamp()))
        state = replace(state, gap=0, history=(*state.history, entry)[-params.window :])
        state = _drift(state, observation.at, params, signals)
    steady = _steadily_high(state, params)
    if steady is not None and state.flagged_at is None:
        state = replace(state, flagged_at=observation.at)
        signals.append(
            Signal(observation.at, Reason.CONSISTENTLY_LONELY, Severity.WATCH, detail=steady)
        )
    state = _streaks(state, observation, before, params, signals, alert_high=steady is None)
    return state, signals


def run(
    observations: Iterable[Observation], params: DetectionParams = DEFAULT_PARAMS
) -> list[Signal]:
    """Replay a whole history from a fresh state; the same code path as `step` in the bot."""
    state = DetectorState()
    signals: list[Signal] = []
    for observation in observations:
        state, raised = step(state, observation, params)
        signals.extend(raised)
    return signals


def _silence(
    state: DetectorState, observation: Observation, params: DetectionParams
) -> tuple[DetectorState, list[Signal]]:
    """A missed check-in: silence.py judges the run against the child's own habit."""
    state, signals = silence.missed(state, observation, params)
    for signal in signals:
        state = _fired(state, signal)
    return state, signals


def _steadily_high(state: DetectorState, params: DetectionParams) -> str | None:
    """The reason the child counts as consistently lonely now, or None: its usual score over
    the newest `lonely_flag_window` complete check-ins is above `lonely_flag_score` by
    `lonely_flag_z` standard errors (its own SD; its autocorrelation leaves fewer effective
    answers)."""
    recent = state.history[-params.lonely_flag_window :]
    if len(recent) < params.lonely_flag_min:
        return None
    scores = [float(score) for score, *_ in recent]
    phi = estimate_phi(scores, [gap for _, _, gap, _ in recent], params)
    usual = fmean(scores)
    error = pstdev(scores) / math.sqrt(len(scores) * (1 - phi) / (1 + phi))
    if usual - params.lonely_flag_z * error <= params.lonely_flag_score:
        return None
    return f"usual score {usual:.1f} +- {error:.1f} over the last {len(scores)} complete check-ins"


def _drift(
    state: DetectorState, at: datetime, params: DetectionParams, signals: list[Signal]
) -> DetectorState:
    """The drift statistic after this complete check-in (already in the history)."""
    history = state.history
    if len(history) <= params.min_answered:  # still learning the child: no statistic yet
        return state
    values = [composite(score, mood, params) for score, mood, *_ in history]
    gaps = [gap for _, _, gap, _ in history]
    if params.drift_design == "cusum":
        start = int(state.cusum_since.timestamp()) if state.cusum_since else None
        held = sum(1 for e in history[:-1] if start is not None and e[3] >= start)
        expected = _expected_sd(values, params)
        moved = cusum_step(values, gaps, expected, held, params)
        cusum = moved.advance(state.cusum, params.drift_shift)
        since = (state.cusum_since or at) if cusum > 0 else None
        state = replace(state, cusum=cusum, cusum_since=since)
        if since is None:
            return state
        after = sum(1 for entry in history if entry[3] >= int(since.timestamp()))
        found = Drift(cusum, after, moved.level, moved.sd, moved.phi)
        h = threshold(moved.phi_start, answer_rate(gaps), params)
    else:
        found = drift(values, gaps, _expected_sd(values, params), params)
        h = params.drift_h
    if found.statistic < h or not _cool(state, Reason.DRIFT, at, params):
        return state
    start = history[-found.after]
    since = datetime.fromtimestamp(start[3], tz=UTC)
    now = fmean(values[-found.after :])
    detail = (
        f"usual {found.level:.1f} +- {found.sd:.1f}, since then {now:.1f}; "
        f"evidence {found.statistic:.1f}"
    )
    state = replace(state, cusum=0.0, cusum_since=None)
    signal = Signal(at, Reason.DRIFT, Severity.ALERT, since, detail)
    signals.append(signal)
    # the child's usual is now the level since the step: the answers before it are dropped
    return _fired(replace(state, history=history[-found.after :]), signal)


def _expected_sd(values: list[float], params: DetectionParams) -> float:
    return prior_spread(fmean(values), params)


def _usual(history: tuple[tuple[int, int, int, int], ...], run: int) -> tuple[float, float] | None:
    """Usual score and mood before the current run (its check-ins left out, so a run does not
    move its own yardstick), or None while fewer than `level_min_answered` remain."""
    kept = history[: max(0, len(history) - run)]
    if not kept:
        return None
    return fmean(s for s, *_ in kept), fmean(m for _, m, *_ in kept)


def _streaks(
    state: DetectorState,
    obs: Observation,
    before: tuple[tuple[int, int, int, int], ...],
    params: DetectionParams,
    signals: list[Signal],
    alert_high: bool = True,
) -> DetectorState:
    """Level rules on consecutive answered check-ins; a check-in without the item neither
    extends nor breaks the run. Only at the extremes, and only for a child whose usual answers
    (before the run) are known and far from them. With `alert_high` False (a steadily lonely
    child) the high-loneliness run is still counted, but raises nothing."""
    known = len(before) >= params.level_min_answered
    if obs.loneliness is not None:
        usual = _usual(before, state.high_run) if known else None
        far = usual is not None and usual[0] <= params.high_usual_max
        hit = obs.loneliness >= params.high_score
        needed = params.high_run if alert_high and far else _NEVER
        detail = f"score {params.high_score} (usual {usual[0]:.1f})" if usual else ""
        state, signal = _streak(
            state, "high", hit, needed, Reason.HIGH_LONELINESS, obs.at, detail, params
        )
        signals.extend(signal)
    if obs.mood is not None:
        usual = _usual(before, state.low_mood_run) if known else None
        far = usual is not None and usual[1] >= params.low_mood_usual_min
        hit = obs.mood <= params.low_mood
        needed = params.low_mood_run if far else _NEVER
        detail = f"mood {params.low_mood} (usual {usual[1]:.1f})" if usual else ""
        state, signal = _streak(
            state, "low_mood", hit, needed, Reason.LOW_MOOD, obs.at, detail, params
        )
        signals.extend(signal)
    return state


def _streak(
    state: DetectorState,
    name: str,
    hit: bool,
    needed: int,
    reason: Reason,
    at: datetime,
    what: str,
    params: DetectionParams,
) -> tuple[DetectorState, list[Signal]]:
    run = getattr(state, f"{name}_run") + 1 if hit else 0
    since = (getattr(state, f"{name}_since") or at) if hit else None
    state = replace(state, **{f"{name}_run": run, f"{name}_since": since})
    if run < needed or not _cool(state, reason, at, params):
        return state, []
    detail = f"{run} answered check-ins in a row with {what}"
    signal = Signal(at, reason, Severity.ALERT, since, detail)
    return _fired(state, signal), [signal]


def _cool(state: DetectorState, reason: Reason, at: datetime, params: DetectionParams) -> bool:
    """True when `reason` has not fired within the cooldown."""
    last = state.last_signal.get(reason.value)
    return last is None or at - last >= params.cooldown


def _fired(state: DetectorState, signal: Signal) -> DetectorState:
    return replace(state, last_signal={**state.last_signal, signal.reason.value: signal.at})
