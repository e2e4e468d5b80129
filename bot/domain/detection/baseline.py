"""A child's usual composite and spread: robust, shrunk toward the program prior, floored.

Answers are coarse integers, so a plain median jumps by whole points; a winsorised mean keeps
the median's resistance to a few wild days while using every answer. Few answers give a noisy
spread, and an underestimated spread is the main source of false alerts, so the spread borrows
the program-wide prior with a pseudo-count and never falls below a floor.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.detection.params import DetectionParams


def composite(loneliness: float, mood: float, params: DetectionParams) -> float:
    """Loneliness score (3-9) plus inverted mood (6 - mood): higher means worse."""
    return loneliness + params.mood_weight * (6 - mood)


@dataclass(frozen=True)
class Baseline:
    mean: float  # composite the child usually has
    spread: float  # within-child SD of the composite, shrunk and floored
    loneliness: float  # usual three-item score, to fill in a check-in without items
    mood: float  # usual mood, to fill in a check-in without mood
    count: int  # complete check-ins it rests on


def estimate(history: Sequence[tuple[int, int]], params: DetectionParams) -> Baseline:
    """Baseline from (loneliness score, mood) pairs of complete check-ins, oldest first."""
    pairs = list(history)
    n = len(pairs)
    if n == 0:
        return Baseline(
            params.prior_mean,
            max(prior_spread(params.prior_mean, params), params.spread_floor),
            params.prior_loneliness,
            params.prior_mood,
            0,
        )
    values = [composite(score, mood, params) for score, mood in pairs]
    center = statistics.median(values)
    level = (params.prior_mean_weight * params.prior_mean + n * center) / (
        params.prior_mean_weight + n
    )
    raw_spread = statistics.pstdev(values) if n > 1 else 0.0
    spread = _shrunk_spread(raw_spread, n, prior_spread(level, params), params)
    # Bayes: the prior level is worth (within-child variance / between-child variance) answers,
    # so a steady child's own answers outweigh the program's usual sooner than a changeable one's.
    w0 = params.prior_mean_weight * (spread / params.prior_spread) ** 2
    low, high = center - params.winsor * spread, center + params.winsor * spread
    robust = statistics.fmean(min(max(v, low), high) for v in values)
    mean = (w0 * params.prior_mean + n * robust) / (w0 + n)
    widen = (1 + params.mean_uncertainty / (w0 + n)) ** 0.5
    return Baseline(
        mean=mean,
        spread=spread * widen,
        loneliness=statistics.fmean(score for score, _ in pairs),
        mood=statistics.fmean(mood for _, mood in pairs),
        count=n,
    )


def prior_spread(level: float, params: DetectionParams) -> float:
    """Spread a child at this composite level is expected to have: answers near the bottom of
    the scales (hardly ever lonely, happiest face) have little room to vary (floor effect)."""
    lowest = composite(3, 5, params)
    return min(
        params.prior_spread, params.spread_at_floor + params.spread_slope * (level - lowest)
    )


def _shrunk_spread(raw: float, n: int, prior: float, params: DetectionParams) -> float:
    """Pool the child's variance (n - 1 df) with the prior's pseudo-count, then floor it."""
    w0 = params.prior_spread_weight
    pooled = (w0 * prior**2 + max(n - 1, 0) * raw**2) / (w0 + max(n - 1, 0))
    return max(pooled**0.5, params.spread_floor)


def usual_answers(
    history: Sequence[tuple[int, int]], params: DetectionParams
) -> tuple[float, float]:
    """The child's usual three-item score and mood, shrunk toward the program's usual with
    `level_prior_weight` pseudo-check-ins, so a brand-new child is held to the program's bars
    and a child's own answers take over within a few check-ins."""
    w0, n = params.level_prior_weight, len(history)
    score = (w0 * params.prior_loneliness + sum(s for s, _ in history)) / (w0 + n)
    mood = (w0 * params.prior_mood + sum(m for _, m in history)) / (w0 + n)
    return score, mood
