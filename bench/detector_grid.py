"""The grid of worlds, the detector's figures in one world, and the oracle beside them.

Figures per world: the share of steady children with any volunteer-facing alert (drift,
high_loneliness, low_mood) within the year, by reason; for +1 and +2 SD rises the share found
within the year and the median delay in scheduled check-ins from the first risen one to the
first volunteer-facing alert (a rise not found counts as never).

The oracle is a CUSUM told each child's true steady mean, SD and autocorrelation: each complete
check-in is predicted from the previous complete one (true autocorrelation at that gap),
standardised by the true prediction SD (capped at 3), with k half the innovation shift of a
+1 SD rise. It starts at zero at the rise (zero state: the textbook worst case) and its h is
set on the same run's steady children so that it alerts the same share as the detector does
(at least one child). It sees the same simulated answers as the detector.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from bench.detector_world import Case, World, pooled_cohort
from bot.domain.detection import Observation, Reason, Signal

ALERTING = (Reason.DRIFT, Reason.HIGH_LONELINESS, Reason.LOW_MOOD)  # volunteer-facing
ORACLE_Z_CAP = 3.0

WORLDS = [
    World("phi .15 (original)"),
    World("phi 0", phi=0.0),
    World("phi .30", phi=0.30),
    World("phi .45", phi=0.45),
    World("answer 50%", response=(5.0, 5.0)),
    World("answer 90%", response=(18.0, 2.0)),
    World("answer drifts", response=(8.0, 2.0), response_end=(3.0, 3.0)),
    World("noise low", noise=0.6),
    World("noise high", noise=1.5),
    World("vary little", scale_shift=-0.35),
    World("vary a lot", scale_shift=0.35),
    World("near floor", trait_shift=-1.0),
    World("near ceiling", trait_shift=1.2),
    World("issue cohort", phi=0.30, noise=1.2),
]


@dataclass
class Figures:
    steady: int
    alerted: float
    by_reason: dict[str, float]
    found: dict[int, float]
    median: dict[int, float]
    oracle_found: dict[int, float]
    oracle_median: dict[int, float]


def _composite(o: Observation) -> float | None:
    if o.loneliness is None or o.mood is None:
        return None
    return o.loneliness + 6 - o.mood


def _first_alert(case: Case, signals: list[Signal]) -> float:
    index = {o.at: i for i, o in enumerate(case.observations)}
    for signal in signals:
        at = index[signal.at]
        if signal.reason in ALERTING and at >= case.start:
            return at - case.start + 1
    return math.inf


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _oracle_path(case: Case, begin: int) -> list[tuple[int, float]]:
    """(scheduled index, CUSUM) from `begin` on, fresh at zero, without resets."""
    t = case.truth
    rho1 = t.autocorrelation(1)
    k = 0.5 * (1 - rho1) / math.sqrt(1 - rho1 * rho1)
    path, cusum, last = [], 0.0, None
    for i, o in enumerate(case.observations):
        value = _composite(o)
        if value is None:
            continue
        if i >= begin:
            rho = t.autocorrelation(i - last[0]) if last else 0.0
            predicted = t.mean + rho * ((last[1] if last else t.mean) - t.mean)
            z = (value - predicted) / (t.sd * math.sqrt(1 - rho * rho))
            cusum = max(0.0, cusum + min(max(z, -ORACLE_Z_CAP), ORACLE_Z_CAP) - k)
            path.append((i, cusum))
        last = (i, value)
    return path


def oracle(cohort: dict[float, list[Case]], alerted: float) -> tuple[dict, dict]:
    steady = cohort[0.0]
    peaks = sorted(max((c for _, c in _oracle_path(case, 0)), default=0.0) for case in steady)
    count = max(1, round(alerted * len(steady)))
    h = peaks[-count]
    found, median = {}, {}
    for rise in (1, 2):
        delays = []
        for case in cohort[float(rise)]:
            hit = next((i for i, c in _oracle_path(case, case.start) if c >= h), None)
            delays.append(math.inf if hit is None else hit - case.start + 1)
        found[rise] = sum(d < math.inf for d in delays) / len(delays)
        median[rise] = _median(delays)
    return found, median


def measure(
    world: World,
    n: int,
    seeds: list[int],
    detect: Callable[[list[Observation]], list[Signal]],
) -> Figures:
    cohort = pooled_cohort(n, seeds, world)
    steady = [[s for s in detect(c.observations) if s.reason in ALERTING] for c in cohort[0.0]]
    alerted = sum(bool(found) for found in steady) / len(steady)
    by_reason = {
        r.value: sum(any(s.reason == r for s in f) for f in steady) / len(steady) for r in ALERTING
    }
    found, median = {}, {}
    for rise in (1, 2):
        delays = [_first_alert(c, detect(c.observations)) for c in cohort[float(rise)]]
        found[rise] = sum(d < math.inf for d in delays) / len(delays)
        median[rise] = _median(delays)
    oracle_found, oracle_median = oracle(cohort, alerted)
    return Figures(len(steady), alerted, by_reason, found, median, oracle_found, oracle_median)


def _n(value: float) -> str:
    return "never" if value == math.inf else f"{value:.0f}"


def _ratio(f: Figures, rise: int) -> float:
    return f.median[rise] / f.oracle_median[rise] if f.oracle_median[rise] < math.inf else math.inf


HEADER = (
    "world                | steady alerted (drift/high/low) | +1 SD found, median | oracle   "
    "| ratio | +2 SD found, median | oracle   | ratio"
)


def line(name: str, f: Figures) -> str:
    r = f.by_reason
    parts = [
        f"{name:<20} | {100 * f.alerted:5.1f}% ({100 * r['drift']:4.1f}/"
        f"{100 * r['high_loneliness']:3.1f}/{100 * r['low_mood']:3.1f})",
    ]
    for rise in (1, 2):
        parts.append(
            f"{100 * f.found[rise]:5.1f}% {_n(f.median[rise]):>5}      | "
            f"{100 * f.oracle_found[rise]:3.0f}% {_n(f.oracle_median[rise]):>3} | "
            f"{_ratio(f, rise):5.2f}"
        )
    return "        | ".join(parts[:1]) + " | " + " | ".join(parts[1:])


def misses(f: Figures) -> list[str]:
    """The targets this world misses (issue 10, item 1)."""
    out = []
    if f.alerted > 0.10:
        out.append("alerted")
    for rise in (1, 2):
        if f.found[rise] < 0.90 and f.found[rise] < f.oracle_found[rise] - 0.05:
            out.append(f"found+{rise}")
        if _ratio(f, rise) > 1.2:
            out.append(f"delay+{rise}")
    return out


def worst(results: list[tuple[str, Figures]]) -> str:
    """The worst figure of each column over the grid, and the mean of the columns."""

    def col(get: Callable[[Figures], float], pick: Callable) -> str:
        values = [(get(f), name) for name, f in results]
        value, name = pick(values)
        return f"{value:.3g} ({name})"

    alerted = col(lambda f: 100 * f.alerted, max)
    found1 = col(lambda f: 100 * f.found[1], min)
    found2 = col(lambda f: 100 * f.found[2], min)
    ratio1 = col(lambda f: _ratio(f, 1), max)
    ratio2 = col(lambda f: _ratio(f, 2), max)
    mean = statistics.fmean
    return (
        f"worst: alerted {alerted}%, +1 SD found {found1}%, ratio {ratio1}; +2 SD found "
        f"{found2}%, ratio {ratio2}\n"
        f"mean:  alerted {mean(100 * f.alerted for _, f in results):.1f}%, +1 SD found "
        f"{mean(100 * f.found[1] for _, f in results):.1f}%, ratio "
        f"{mean(_ratio(f, 1) for _, f in results):.2f}; +2 SD found "
        f"{mean(100 * f.found[2] for _, f in results):.1f}%, ratio "
        f"{mean(_ratio(f, 2) for _, f in results):.2f}; worlds missing a target: "
        f"{sum(bool(misses(f)) for _, f in results)} of {len(results)}"
    )
