"""The drift statistic: has the child's own composite stepped up, against its own past?

Each child's answers are treated as its level plus AR(1) noise between scheduled check-ins,
with its own autocorrelation `phi` (estimated from its own answered pairs, `phi ** gap` across
missed check-ins, shrunk toward a prior) and its own SD (shrunk toward the program's expected
SD for its level). Prewhitening turns the answers into independent pieces: each is predicted
from the previous answer, and what the prediction does not explain carries the level with
weight `a` (Kalman/GLS for an AR(1) with a constant mean).

On those pieces the statistic is a likelihood ratio for a step of `drift_shift` own SDs that
began at some recent answer, against no step, with the level before the step profiled out of
all the answers rather than plugged in: each candidate start compares the answers after it with
the level the whole window implies, and its variance `V = A_after * A_before / A` shrinks the
evidence of long runs when the level rests on few answers. For a level known exactly this is
the CUSUM with k half the shift; here the level's uncertainty is part of the statistic. Each
residual is capped at `z_cap` own SDs first, so one extreme answer cannot carry a run.

The CUSUM design (`cusum_step`, the default) alerts at a threshold that follows the child's own
answer rate and its autocorrelation as estimated before the CUSUM's current run (`threshold`:
a table fitted on standard AR(1) noise by bench/detector_threshold.py): a persistent child's
CUSUM has a smaller k and wanders higher, and one h alerted 2% of steady children a year at
phi 0 and 20% at phi 0.45 on that noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.domain.detection.drift_table import ROWS
from bot.domain.detection.params import DetectionParams

Rows = tuple[tuple[float, tuple[tuple[float, float], ...]], ...]


@dataclass(frozen=True)
class Drift:
    statistic: float  # the largest log likelihood ratio over candidate starts
    after: int  # answers since the most likely start of the step (0: none)
    level: float  # the child's usual composite (from the answers before the newest `hold`)
    sd: float  # its within-child SD, shrunk and floored
    phi: float  # its estimated lag-1 autocorrelation between scheduled check-ins


def estimate_phi(values: Sequence[float], gaps: Sequence[int], params: DetectionParams) -> float:
    """Lag-1 autocorrelation from the child's own answered pairs, shrunk toward the prior.

    Each pair (previous answer, answer `gap` scheduled check-ins later) says
    E[d] = phi ** gap * d_previous about the mean; the slope of d on phi0 ** (gap - 1) *
    d_previous estimates phi (phi0 the prior, for the extra powers). Pairs more than
    `phi_max_gap` apart say almost nothing and are skipped. The slope is biased low by about
    (1 + 3 phi) / n in short series (Kendall), which is added back before shrinking.
    """
    n = len(values)
    if n < 3:
        return params.phi_prior
    mean = sum(values) / n
    num = den = 0.0
    pairs = 0
    for i in range(1, n):
        gap = gaps[i]
        if gap > params.phi_max_gap:
            continue
        x = params.phi_prior ** (gap - 1) * (values[i - 1] - mean)
        num += x * (values[i] - mean)
        den += x * x
        pairs += 1
    if pairs < 2 or den <= 0:
        return params.phi_prior
    raw = num / den
    raw += (1 + 3 * max(raw, 0.0)) / n
    w0 = params.phi_prior_weight
    shrunk = (w0 * params.phi_prior + pairs * raw) / (w0 + pairs)
    return min(max(shrunk, params.phi_min), params.phi_max)


def prewhiten(
    values: Sequence[float], gaps: Sequence[int], phi: float
) -> tuple[list[float], list[float]]:
    """(u, a) with u_i = a_i * level + sd * e_i, e independent N(0, 1) (for an AR(1))."""
    u, a = [values[0]], [1.0]
    for i in range(1, len(values)):
        f = phi ** gaps[i]
        s = math.sqrt(1 - f * f)
        u.append((values[i] - f * values[i - 1]) / s)
        a.append((1 - f) / s)
    return u, a


def drift(
    values: Sequence[float], gaps: Sequence[int], prior_sd: float, params: DetectionParams
) -> Drift:
    """The statistic after the newest of `values` (complete check-ins, oldest first; `gaps[i]`
    scheduled check-ins since the previous one), for a child whose expected SD is `prior_sd`."""
    n = len(values)
    older = max(min(n, params.min_answered), n - params.hold)  # the answers phi and SD rest on
    phi = estimate_phi(values[:older], gaps[:older], params)
    u, a = prewhiten(values, gaps, phi)
    a_old = sum(x * x for x in a[:older])
    level_w = sum(x * y for x, y in zip(a[:older], u[:older], strict=True)) / a_old
    ss = sum((y - x * level_w) ** 2 for x, y in zip(a[:older], u[:older], strict=True))
    w0 = params.prior_spread_weight
    sd = math.sqrt((w0 * prior_sd**2 + ss) / (w0 + older - 1))
    sd = max(sd, params.spread_floor)
    cap = params.z_cap * sd
    # residuals capped against the older level, so one wild answer moves nothing far
    u = [x * level_w + min(max(y - x * level_w, -cap), cap) for x, y in zip(a, u, strict=True)]
    total_a = sum(x * x for x in a)
    total_b = sum(x * y for x, y in zip(a, u, strict=True))
    best, after = 0.0, 0
    a1 = b1 = 0.0
    shift, penalty = params.drift_shift, params.level_penalty
    for m in range(1, n - params.min_answered + 1):
        x, y = a[n - m], u[n - m]
        a1, b1 = a1 + x * x, b1 + x * y
        a0 = total_a - a1
        excess = (b1 - a1 * (total_b - b1) / a0) / sd  # after the start, over the level before
        ratio = (shift * excess - shift * shift * a1 / 2) * a0 / (a0 + penalty * a1)
        if ratio > best:
            best, after = ratio, m
    return Drift(best, after, level_w, sd, phi)


def _spread(
    u: Sequence[float], a: Sequence[float], level: float, prior_sd: float, params: DetectionParams
) -> float:
    """The SD of the prewhitened residuals, from their successive differences (a step in the
    level adds one large difference, not a bias to every residual, so a rise does not inflate
    the SD it is measured in), pooled with the expected SD's pseudo-count."""
    residuals = [y - x * level for x, y in zip(a, u, strict=True)]
    squares = sum((b - c) ** 2 for b, c in zip(residuals[1:], residuals, strict=False)) / 2
    w0, df = params.prior_spread_weight, len(residuals) - 1
    return math.sqrt((w0 * prior_sd**2 + squares) / (w0 + df))


@dataclass(frozen=True)
class Step:
    z: float  # the newest answer's standardised prediction error, capped
    k: float  # half the shift a +1 SD step gives this z (prewhitening takes part of it)
    level: float
    sd: float
    phi: float
    phi_start: float  # phi from the answers before the current run (what the threshold reads)

    def advance(self, cusum: float, shift: float) -> float:
        """One step of a CUSUM for a rise of `shift` own SDs (k = shift * self.k)."""
        return max(0.0, cusum + self.z - shift * self.k)


def cusum_step(
    values: Sequence[float],
    gaps: Sequence[int],
    prior_sd: float,
    held: int,
    params: DetectionParams,
) -> Step:
    """The alternative design: a prewhitened self-starting CUSUM. The newest of `values` is
    predicted from the previous answer and the child's level (from the answers before it but
    the newest `held`: those of the current run, at most `hold`), standardised by the
    prediction SD, which includes the level's own uncertainty (so early answers are not
    over-trusted), and mapped from Student's t to normal."""
    n = len(values)
    older = max(min(n - 1, params.min_answered), n - 1 - min(held, params.hold))
    phi = estimate_phi(values[:older], gaps[:older], params)
    start = max(min(n - 1, params.min_answered), n - 1 - held)
    phi_start = phi if start == older else estimate_phi(values[:start], gaps[:start], params)
    u, a = prewhiten(values[:older], gaps[:older], phi)
    a_old = sum(x * x for x in a)
    level = sum(x * y for x, y in zip(a, u, strict=True)) / a_old
    sd = max(_spread(u, a, level, prior_sd, params), params.spread_floor)
    f = phi ** gaps[-1]
    predicted = level + f * (values[-2] - level)
    variance = sd * sd * (1 - f * f + (1 - f) ** 2 / a_old)
    t = (values[-1] - predicted) / math.sqrt(variance)
    df = older - 1 + params.prior_spread_weight
    z = t * (1 - 1 / (4 * df)) / math.sqrt(1 + t * t / (2 * df))
    z = min(max(z, -params.z_cap), params.z_cap)
    return Step(z, (1 - f) * sd / math.sqrt(variance) / 2, level, sd, phi, phi_start)


def answer_rate(gaps: Sequence[int]) -> float:
    """The share of scheduled check-ins the child answered completely, over its window."""
    return len(gaps) / max(1, sum(gaps))


def interpolate(rows: Rows, phi: float, rate: float) -> float:
    """The table's threshold at (phi, rate): linear in each, held at the table's edges."""

    def along(points: Sequence[tuple[float, float]], x: float) -> float:
        if x <= points[0][0]:
            return points[0][1]
        for (x0, y0), (x1, y1) in pairwise(points):
            if x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        return points[-1][1]

    return along([(r, along(knots, phi)) for r, knots in rows], rate)


def threshold(phi: float, rate: float, params: DetectionParams) -> float:
    """The drift CUSUM's threshold for a child with this estimated autocorrelation and answer
    rate (bench/detector_threshold.py), scaled by `drift_h_scale`, never below `drift_h`."""
    return max(params.drift_h, params.drift_h_scale * interpolate(ROWS, phi, rate))
