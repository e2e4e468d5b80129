"""The per-child detector: one check-in in, a new state and any signals out.

Rules, each independent (a check-in may raise several signals):
- drift: one-sided CUSUM of the composite standardised against the child's own robust,
  prior-shrunk, floored baseline (baseline.py); only answered check-ins move it.
- high_loneliness: the three-item score at or above a bar on consecutive answered check-ins;
  the bar is the child's usual score plus a margin (never below an absolute floor), the usual
  being shrunk toward the program's, so a new child meets the program's bar (params.py).
- low_mood: mood at or below a bar, set the same way below the child's usual mood, on
  consecutive answered check-ins.
- silence: consecutive missed check-ins; first a retry to the child, then a short word to the
  carer at home, then a volunteer task.
- consistently lonely: a standing flag, raised once per child, when its recent complete
  check-ins are steadily high; while they are, the high-loneliness alert is held back (a
  steadily lonely child is not a rise: alerts are about change and danger).
Missed check-ins neither move the statistics nor break answer streaks; they only count silence.

The silence steps and the flag are PLACEHOLDER rules (issue 10): fixed counts and a median over
a fixed window (`_silence`, `_steadily_high`; numbers in params.py), there so the bot can act on
the two signals end to end now. The new statistics replace them; the signals stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from statistics import median

from bot.domain.detection import silence
from bot.domain.detection.baseline import Baseline, composite, estimate, usual_answers
from bot.domain.detection.params import DEFAULT_PARAMS, DetectionParams
from bot.domain.detection.signals import Observation, Reason, Severity, Signal
from bot.domain.detection.state import DetectorState

_EPS = 1e-9  # bars are compared with integer answers; keep a bar of exactly 7.0 reachable by 7
_NEVER = 10**9  # a run length no child reaches: the rule counts but does not fire


def step(
    state: DetectorState, observation: Observation, params: DetectionParams = DEFAULT_PARAMS
) -> tuple[DetectorState, list[Signal]]:
    """Feed one check-in (in time order); returns the state to store and the signals raised."""
    if not observation.answered:
        return _silence(state, observation, params)
    state = silence.answered(state, observation, params)
    base = estimate(state.history, params)  # both as they stood before this check-in
    bars = _bars(state, params)
    signals: list[Signal] = []
    state = _drift(state, observation, base, params, signals)
    steady = _steadily_high(state, params)
    if steady is not None and state.flagged_at is None:
        state = replace(state, flagged_at=observation.at)
        signals.append(
            Signal(observation.at, Reason.CONSISTENTLY_LONELY, Severity.WATCH, detail=steady)
        )
    state = _streaks(state, observation, bars, params, signals, alert_high=steady is None)
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
    """PLACEHOLDER: the reason the child counts as consistently lonely now, or None.

    The newest `lonely_flag_window` complete check-ins (the baseline history, then those of a
    run still held out of it: together in time order) with a median score at the bar.
    """
    recent = [score for score, _ in (*state.history, *state.pending)][-params.lonely_flag_window :]
    if len(recent) < params.lonely_flag_window:
        return None
    middle = median(recent)
    if middle < params.lonely_flag_median - _EPS:
        return None
    return f"median score {middle:g} over the last {len(recent)} complete check-ins"


def _drift(
    state: DetectorState,
    obs: Observation,
    base: Baseline,
    params: DetectionParams,
    signals: list[Signal],
) -> DetectorState:
    """One CUSUM step against the baseline as it stood before this check-in."""
    pending = (*state.pending, *_complete(obs))
    if base.count < params.min_answered:  # still learning the child: no statistic yet
        return _settle(state, pending, len(pending), params)
    # a partly answered check-in counts what it shows; the missing part is taken as usual
    score = obs.loneliness if obs.loneliness is not None else base.loneliness
    mood = obs.mood if obs.mood is not None else base.mood
    value = composite(score, mood, params)
    z = min(max((value - base.mean) / base.spread, -params.z_cap), params.z_cap)
    up = max(0.0, state.cusum + z - params.cusum_k)
    down = max(0.0, state.cusum_low - z - params.cusum_k)
    since = (state.cusum_since or obs.at) if up > 0 else None
    if up >= params.cusum_h and _cool(state, Reason.DRIFT, obs.at, params):
        detail = f"usual {base.mean:.1f} +- {base.spread:.1f}, now {value:.0f}; cusum {up:.1f}"
        signal = Signal(obs.at, Reason.DRIFT, Severity.ALERT, since, detail)
        signals.append(signal)
        state = replace(state, cusum=0.0, cusum_low=0.0, cusum_since=None)
        return _fired(_settle(state, pending, len(pending), params), signal)
    state = replace(state, cusum=up, cusum_low=down, cusum_since=since)
    if up > 0 or down > 0:  # a run either way: hold its check-ins out of the baseline
        return _settle(state, pending, len(pending) - params.hold_max, params)
    return _settle(state, pending, len(pending), params)


def _complete(obs: Observation) -> tuple[tuple[int, int], ...]:
    """The (score, mood) pair of a fully answered check-in; only these enter the baseline."""
    if obs.loneliness is None or obs.mood is None:
        return ()
    return ((obs.loneliness, obs.mood),)


def _settle(
    state: DetectorState, pending: tuple[tuple[int, int], ...], move: int, params: DetectionParams
) -> DetectorState:
    """Move the oldest `move` of `pending` into the baseline history; keep the rest waiting."""
    move = max(0, move)
    history = (*state.history, *pending[:move])[-params.window :]
    return replace(state, history=history, pending=pending[move:])


def _bars(state: DetectorState, params: DetectionParams) -> tuple[float, float]:
    """The high-loneliness and low-mood bars for the next check-in, set from the child's usual
    answers before the current runs (shrunk toward the program's usual, so a new child meets
    the program's bars) and held to the absolute limits."""
    score, _ = usual_answers(_before_run(state, state.high_run), params)
    _, mood = usual_answers(_before_run(state, state.low_mood_run), params)
    return (
        max(params.high_score, score + params.high_margin),
        min(params.low_mood, mood - params.low_mood_margin),
    )


def _before_run(state: DetectorState, run: int) -> tuple[tuple[int, int], ...]:
    """The baseline history without the current run's own check-ins (the newest `run` complete
    check-ins, wherever they wait), so a run does not raise its own bar."""
    kept = len(state.history) + len(state.pending) - run
    return state.history[: max(0, min(len(state.history), kept))]


def _streaks(
    state: DetectorState,
    obs: Observation,
    bars: tuple[float, float],
    params: DetectionParams,
    signals: list[Signal],
    alert_high: bool = True,
) -> DetectorState:
    """Level rules on consecutive answered check-ins; a check-in without the item neither
    extends nor breaks the run. With `alert_high` False (a steadily lonely child) the
    high-loneliness run is still counted, but raises nothing."""
    high_bar, low_bar = bars
    if obs.loneliness is not None:
        hit = obs.loneliness >= high_bar - _EPS
        detail = f"score at or above {high_bar:.1f}"
        needed = params.high_run if alert_high else _NEVER
        state, signal = _streak(
            state, "high", hit, needed, Reason.HIGH_LONELINESS, obs.at, detail, params
        )
        signals.extend(signal)
    if obs.mood is not None:
        hit = obs.mood <= low_bar + _EPS
        detail = f"mood at or below {low_bar:.1f}"
        state, signal = _streak(
            state, "low_mood", hit, params.low_mood_run, Reason.LOW_MOOD, obs.at, detail, params
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
