"""Offline evaluation of the detection core on a simulated cohort and on crisis probe sets.

The cohort has field-like statistics (DOMAIN_NOTES, issue 3): three scheduled check-ins a week
for a year (156), each child answering about 70% of them (compliance 70-78% in child EMA
studies; each child's own rate drawn from Beta(7, 3)), 3% of answers stopping after the mood.
A child's day-to-day state is one latent factor with AR(1) autocorrelation `--phi` between
scheduled check-ins, shared by the three loneliness items (1-3) and mood (1-5, reversed), each
with its own noise, then rounded to the real scales. Children differ in level (trait
loneliness, correlated with mood) and in how much they vary.

Rises: from a known scheduled check-in (uniform in weeks 9-26) the latent factor steps up by
the amount that raises the child's mean composite by 1 or 2 of the child's own within-child
SDs of the composite (computed exactly by integrating over the latent factor).

Prints false alerts among steady children, detection delay in scheduled check-ins, crisis recall
and false positives, each beside its target from issue 3. `--children N` per group.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.detection import (
    DEFAULT_PARAMS,
    DetectionParams,
    Observation,
    Reason,
    Signal,
    run,
)
from bot.domain.detection.baseline import composite
from bot.domain.detection.crisis import screen
from bot.domain.detection.probes import CRISIS_POSITIVES, HYPERBOLE_NEGATIVES

YEAR = 156  # scheduled check-ins: three a week
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # Monday 17:30 in Shanghai
ALERTING = (Reason.DRIFT, Reason.HIGH_LONELINESS, Reason.LOW_MOOD)  # volunteer-facing
FIRST_WEEKS = 4  # a child's first weeks, before the baseline is known
_GRID = [i / 10 for i in range(-60, 141)]  # latent factor grid for exact moments


@dataclass(frozen=True)
class Child:
    item_means: tuple[float, float, float]  # latent, on the 1-3 answer scale
    mood_mean: float  # latent, on the 1-5 scale
    item_load: float  # how far the shared factor moves each item
    item_noise: float
    mood_load: float
    mood_noise: float
    response: float  # share of check-ins answered


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _rounded_moments(mean: float, noise: float, low: int, high: int) -> tuple[float, float]:
    """Mean and variance of round(mean + noise * N(0, 1)) clipped to [low, high]."""
    probs = []
    for value in range(low, high + 1):
        upper = 1.0 if value == high else _phi((value + 0.5 - mean) / noise)
        lower = 0.0 if value == low else _phi((value - 0.5 - mean) / noise)
        probs.append(upper - lower)
    m = sum(p * v for p, v in zip(probs, range(low, high + 1), strict=True))
    return m, sum(p * (v - m) ** 2 for p, v in zip(probs, range(low, high + 1), strict=True))


def _table(child: Child, params: DetectionParams) -> list[tuple[float, float, float]]:
    """(latent x, mean, variance) of the composite given the latent factor, on a grid wide
    enough for any shift the bench asks for (items are independent given the factor)."""
    rows = []
    for x in _GRID:
        mean, var = 0.0, 0.0
        for item_mean in child.item_means:
            im, iv = _rounded_moments(item_mean + child.item_load * x, child.item_noise, 1, 3)
            mean, var = mean + im, var + iv
        mm, mv = _rounded_moments(child.mood_mean - child.mood_load * x, child.mood_noise, 1, 5)
        rows.append((x, composite(mean, mm, params), var + params.mood_weight**2 * mv))
    return rows


def _moments(table: list[tuple[float, float, float]], shift: float) -> tuple[float, float]:
    """Mean and SD of the composite when the factor is N(shift, 1): within plus between."""
    weights = [math.exp(-((x - shift) ** 2) / 2) for x, _, _ in table]
    total = sum(weights)
    mean = sum(w * m for w, (_, m, _) in zip(weights, table, strict=True)) / total
    var = sum(w * (v + (m - mean) ** 2) for w, (_, m, v) in zip(weights, table, strict=True))
    return mean, math.sqrt(var / total)


def composite_moments(child: Child, shift: float, params: DetectionParams) -> tuple[float, float]:
    """Stationary mean and SD of the child's composite with the latent factor shifted."""
    return _moments(_table(child, params), shift)


def latent_shift(child: Child, rise_sd: float, params: DetectionParams) -> float | None:
    """Latent step that raises the mean composite by `rise_sd` own SDs; None at the ceiling."""
    table = _table(child, params)
    mean0, sd0 = _moments(table, 0.0)
    target = mean0 + rise_sd * sd0
    low, high = 0.0, 8.0
    if _moments(table, high)[0] < target:
        return None
    for _ in range(25):
        mid = (low + high) / 2
        low, high = (mid, high) if _moments(table, mid)[0] < target else (low, mid)
    return (low + high) / 2


def draw_child(rng: random.Random) -> Child:
    trait = rng.gauss(0, 1)
    scale = math.exp(rng.gauss(0, 0.25))
    items = tuple(
        1.45 + 0.55 * trait + rng.gauss(0, 0.15) + offset for offset in (0.05, -0.1, 0.0)
    )
    return Child(
        item_means=items,  # type: ignore[arg-type]
        mood_mean=3.9 - 0.35 * trait + rng.gauss(0, 0.45),
        item_load=0.3 * scale,
        item_noise=0.3 * scale,
        mood_load=0.55 * scale,
        mood_noise=0.5 * scale,
        response=rng.betavariate(7, 3),
    )


def simulate(
    child: Child, rng: random.Random, phi: float, shift: float = 0.0, start: int = YEAR
) -> list[Observation]:
    observations, factor = [], rng.gauss(0, 1)
    for t in range(YEAR):
        factor = phi * factor + math.sqrt(1 - phi * phi) * rng.gauss(0, 1)
        at = START + timedelta(days=7 * (t // 3) + 2 * (t % 3))
        if rng.random() > child.response:
            observations.append(Observation(at, missed=True))
            continue
        x = factor + (shift if t >= start else 0.0)
        items = tuple(
            min(3, max(1, round(m + child.item_load * x + rng.gauss(0, child.item_noise))))
            for m in child.item_means
        )
        mood = min(
            5,
            max(1, round(child.mood_mean - child.mood_load * x + rng.gauss(0, child.mood_noise))),
        )
        partial = rng.random() < 0.03
        observations.append(Observation(at, mood=mood, items=None if partial else items))  # type: ignore[arg-type]
    return observations


@dataclass(frozen=True)
class Case:
    child: Child
    observations: list[Observation]
    start: int = YEAR  # first risen scheduled check-in; YEAR for a steady child
    usual_score: float = 0.0  # the child's mean three-item score over the year


def build_cohort(n: int, rng: random.Random, phi: float) -> dict[float, list[Case]]:
    """n steady children (key 0.0) and n with each rise (+1 and +2 own SDs)."""
    cohort: dict[float, list[Case]] = {0.0: [], 1.0: [], 2.0: []}
    for rise, cases in cohort.items():
        while len(cases) < n:
            child = draw_child(rng)
            shift = latent_shift(child, rise, DEFAULT_PARAMS) if rise else 0.0
            if shift is None:  # already at the top of the scales: no room to rise
                continue
            start = rng.randrange(24, 78) if rise else YEAR  # weeks 9-26
            observations = simulate(child, rng, phi, shift, start)
            full = [o.loneliness for o in observations if o.loneliness is not None]
            cases.append(Case(child, observations, start, statistics.fmean(full)))
    return cohort


def evaluate(cohort: dict[float, list[Case]], params: DetectionParams) -> dict[str, float]:
    """False alerts among steady children (every volunteer-facing reason counts); delays
    (scheduled check-ins, inf = not in the year) from the first risen check-in to the first
    volunteer-facing alert of any reason."""
    out: dict[str, float] = {}
    steady = [(case, run(case.observations, params)) for case in cohort[0.0]]
    n = len(steady)
    alerted = [(case, [s for s in found if s.reason in ALERTING]) for case, found in steady]
    out["false"] = sum(bool(found) for _, found in alerted) / n
    for reason in ALERTING:
        out[reason.value] = sum(any(s.reason == reason for s in f) for _, f in alerted) / n
    out["per_child"] = sum(len(found) for _, found in alerted) / n
    first_weeks = START + timedelta(weeks=FIRST_WEEKS)
    out["first_weeks"] = (
        sum(bool(f) and all(s.at < first_weeks for s in f) for _, f in alerted) / n
    )
    out["usually_lonely"] = sum(bool(f) and c.usual_score >= 6 for c, f in alerted) / n
    for rise in (1.0, 2.0):
        signals = [(case, run(case.observations, params)) for case in cohort[rise]]
        delays = sorted(_delay_of(case, found, ALERTING) for case, found in signals)
        drift = sorted(_delay_of(case, found, {Reason.DRIFT}) for case, found in signals)
        out[f"median{rise:.0f}"] = delays[len(delays) // 2]
        out[f"p90_{rise:.0f}"] = delays[int(0.9 * len(delays))]
        out[f"found{rise:.0f}"] = sum(d < math.inf for d in delays) / len(delays)
        out[f"drift{rise:.0f}"] = drift[len(drift) // 2]
    return out


def _delay_of(case: Case, signals: list[Signal], reasons: set[Reason]) -> float:
    index = {o.at: i for i, o in enumerate(case.observations)}
    for signal in signals:
        at = index[signal.at]
        if signal.reason in reasons and at >= case.start:
            return at - case.start + 1
    return math.inf


def oracle(cohort: dict[float, list[Case]], params: DetectionParams, far: float) -> dict:
    """The same CUSUM knowing each child's true mean and SD, with h set for the same share of
    steady children alerted (`far`): the limit an estimated baseline can approach."""
    truth = {
        id(c): composite_moments(c.child, 0.0, params) for cases in cohort.values() for c in cases
    }

    def share(h: float) -> float:
        hits = [_oracle_first(c, truth[id(c)], params, h, 0) >= 0 for c in cohort[0.0]]
        return sum(hits) / len(hits)

    low, high = 2.0, 20.0
    for _ in range(12):
        low, high = (
            (low, (low + high) / 2) if share((low + high) / 2) <= far else ((low + high) / 2, high)
        )
    out: dict[str, float] = {"h": high, "drift": share(high)}
    for rise in (1.0, 2.0):
        firsts = [(c, _oracle_first(c, truth[id(c)], params, high, c.start)) for c in cohort[rise]]
        delays = sorted(f - c.start + 1 if f >= 0 else math.inf for c, f in firsts)
        out[f"median{rise:.0f}"] = delays[len(delays) // 2]
        out[f"found{rise:.0f}"] = sum(d < math.inf for d in delays) / len(delays)
    return out


def _oracle_first(
    case: Case, truth: tuple[float, float], params: DetectionParams, h: float, start: int
) -> int:
    mean, sd = truth
    cusum = 0.0
    for i, o in enumerate(case.observations[start:], start):
        if o.loneliness is not None and o.mood is not None:
            z = (composite(o.loneliness, o.mood, params) - mean) / sd
            cusum = max(0.0, cusum + min(max(z, -params.z_cap), params.z_cap) - params.cusum_k)
            if cusum >= h:
                return i
    return -1


def describe(cohort: dict[float, list[Case]], params: DetectionParams) -> dict[str, float]:
    """The steady cohort's own statistics, to check they look like the field."""
    steady = cohort[0.0]
    within, sds, lags, answered = [], [], [], 0
    for case in steady:
        obs = case.observations
        answered += sum(o.answered for o in obs)
        within.append(statistics.pstdev([o.loneliness for o in obs if o.loneliness is not None]))
        sds.append(composite_moments(case.child, 0.0, params)[1])
        values = [
            composite(o.loneliness, o.mood, params) if o.loneliness and o.mood else None
            for o in obs
        ]
        pairs = [(a, b) for a, b in itertools.pairwise(values) if a is not None and b is not None]
        before, after = [a for a, _ in pairs], [b for _, b in pairs]
        if len(pairs) > 10 and min(statistics.pstdev(before), statistics.pstdev(after)) > 0:
            lags.append(statistics.correlation(before, after))
    usual = [case.usual_score for case in steady]
    return {
        "answered": answered / (len(steady) * YEAR),
        "score": statistics.fmean(usual),
        "between": statistics.pstdev(usual),
        "within": statistics.fmean(within),
        "lonely": sum(u >= 6 for u in usual) / len(usual),
        "sd": statistics.median(sds),
        "lag1": statistics.median(lags),
    }


def crisis_figures() -> tuple[int, int]:
    found = sum(
        (finding := screen(text)) is not None and finding.category == category
        for text, category in CRISIS_POSITIVES
    )
    return found, sum(screen(text) is not None for text in HYPERBOLE_NEGATIVES)


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _n(value: float) -> str:
    return ">year" if value == math.inf else f"{value:.0f}"


def _report(label: str, r: dict[str, float]) -> None:
    print(
        f"{label}\n  steady children alerted in the year: false {_pct(r['false'])} (drift "
        f"{_pct(r['drift'])}, or high_loneliness while usually < 6 "
        f"{_pct(r['high_not_lonely'])}; target <= 10%); high_loneliness at all "
        f"{_pct(r['high'])}; low_mood {_pct(r['low_mood'])}"
    )
    for rise, target in ((1, 20), (2, 7)):
        print(
            f"  rise +{rise} SD: delay median {_n(r[f'median{rise}'])}, p90 "
            f"{_n(r[f'p90_{rise}'])} scheduled check-ins, found within the year "
            f"{_pct(r[f'found{rise}'])} (target median <= {target}, found >= 90%); drift "
            f"alone median {_n(r[f'drift{rise}'])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=400, help="children per group")
    parser.add_argument("--phi", type=float, default=0.4, help="latent AR(1) per check-in")
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--h", type=float, help="try another CUSUM decision interval")
    args = parser.parse_args()
    params = replace(DEFAULT_PARAMS, cusum_h=args.h) if args.h else DEFAULT_PARAMS
    began = time.perf_counter()
    cohort = build_cohort(args.children, random.Random(args.seed), args.phi)
    d = describe(cohort, params)
    print(
        f"cohort: {args.children} children a group (steady, +1 SD, +2 SD), 156 scheduled "
        f"check-ins, {_pct(d['answered'])} answered, latent AR(1) phi {args.phi}; three-item "
        f"score mean {d['score']:.1f}\n  (between-child SD {d['between']:.1f}, within "
        f"{d['within']:.1f}), {_pct(d['lonely'])} usually >= 6; composite within-child SD "
        f"median {d['sd']:.2f}; lag-1 autocorrelation of the composite {d['lag1']:.2f}"
    )
    defaults = evaluate(cohort, params)
    _report(f"defaults (DetectionParams(), h {params.cusum_h})", defaults)
    strict = replace(params, high_score=8, high_run=3)
    _report("absolute rule tightened to score >= 8 three times", evaluate(cohort, strict))
    o = oracle(cohort, params, defaults["drift"])
    print(
        f"for scale, a drift CUSUM knowing each child's true mean and SD, h {o['h']:.1f} for "
        f"the same {_pct(o['drift'])} of steady children: +1 SD median {_n(o['median1'])} "
        f"(found {_pct(o['found1'])}), +2 SD median {_n(o['median2'])} (found {_pct(o['found2'])})"
    )
    found, false = crisis_figures()
    total, negatives = len(CRISIS_POSITIVES), len(HYPERBOLE_NEGATIVES)
    print(
        f"crisis: recall {found}/{total} = {_pct(found / total)} (target 100%); false "
        f"positives on hyperbole and negation {false}/{negatives} = {_pct(false / negatives)} "
        f"(target <= 5%)"
    )
    print(f"seconds: {time.perf_counter() - began:.0f}")


if __name__ == "__main__":
    main()
