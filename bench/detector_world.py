"""Simulated children for the detector bench: one world is one way children can differ.

A child has one latent factor with AR(1) autocorrelation `phi` between scheduled check-ins
(three a week for a year, 156), shared by the three loneliness items (1-3, each with its own
noise) and by mood (1-5, reversed, with its own noise), rounded and clipped to the real scales;
so a lonelier day is also a somewhat sadder one. The factor steps at every scheduled check-in,
answered or not. Children differ in level (a trait that raises the items and lowers mood), in
how much they vary (a log-normal scale) and in how often they answer (Beta, or a rate that
drifts over the year). A rise steps the factor up for good from a scheduled check-in in weeks
9-26 by the amount that raises the child's mean composite (three-item score plus 6 - mood, the
`YARDSTICK`) by 1 or 2 of its own within-child SDs; children with no room to rise are redrawn.

The child's true composite moments (mean, SD, autocorrelation at any gap) are computed exactly
from the latent model (numpy; bench only), for the oracle in detector_grid.py.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.special import ndtr

from bot.domain.detection import Observation

YEAR = 156  # scheduled check-ins: three a week
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # Monday 17:30 in Shanghai
_X = np.linspace(-7.0, 17.0, 481)  # latent grid wide enough for any rise asked for
_HERMITE = 10  # terms of the Hermite expansion behind the true autocorrelation


@dataclass(frozen=True)
class World:
    """How the children of one cohort are drawn; the defaults are the bench's original world."""

    name: str
    phi: float = 0.15  # latent AR(1) per scheduled check-in
    response: tuple[float, float] = (7.0, 3.0)  # Beta of each child's answer rate (mean 0.7)
    response_end: tuple[float, float] | None = None  # rate drifts linearly to a draw from this
    noise: float = 1.0  # item and mood noise, times the original
    scale_shift: float = 0.0  # log of how much more (or less) children vary
    trait_shift: float = 0.0  # level: + lonelier and sadder, - happier (floor of the scales)
    partial: float = 0.03  # answers that stop after the mood


@dataclass(frozen=True)
class Child:
    item_means: tuple[float, float, float]  # latent, on the 1-3 answer scale
    mood_mean: float  # latent, on the 1-5 scale
    item_load: float
    item_noise: float
    mood_load: float
    mood_noise: float
    response: float  # share of check-ins answered (at the start, if it drifts)
    response_end: float  # share answered at the end of the year


@dataclass(frozen=True)
class Truth:
    """The child's true steady composite: what the oracle is told."""

    mean: float
    sd: float
    phi: float  # latent AR(1) per scheduled check-in
    hermite: tuple[float, ...]  # c_k^2 / k! / variance: autocorrelation at latent r is sum c r^k

    def autocorrelation(self, gap: int) -> float:
        """Of the composite, between check-ins `gap` scheduled check-ins apart."""
        latent = self.phi**gap
        return sum(c * latent ** (k + 1) for k, c in enumerate(self.hermite))


def draw_child(rng: random.Random, world: World) -> Child:
    trait = rng.gauss(world.trait_shift, 1)
    scale = math.exp(rng.gauss(world.scale_shift, 0.25))
    items = tuple(
        1.45 + 0.55 * trait + rng.gauss(0, 0.15) + offset for offset in (0.05, -0.1, 0.0)
    )
    response = rng.betavariate(*world.response)
    end = rng.betavariate(*world.response_end) if world.response_end else response
    return Child(
        item_means=items,  # type: ignore[arg-type]
        mood_mean=3.9 - 0.35 * trait + rng.gauss(0, 0.45),
        item_load=0.3 * scale,
        item_noise=0.3 * scale * world.noise,
        mood_load=0.55 * scale,
        mood_noise=0.5 * scale * world.noise,
        response=response,
        response_end=end,
    )


def _rounded(mean: np.ndarray, noise: float, low: int, high: int) -> tuple[np.ndarray, ...]:
    """Mean and variance of round(mean + noise * N(0, 1)) clipped to [low, high], per x."""
    values = np.arange(low, high + 1, dtype=float)
    upper = ndtr((values[None, :] + 0.5 - mean[:, None]) / noise)
    lower = ndtr((values[None, :] - 0.5 - mean[:, None]) / noise)
    upper[:, -1], lower[:, 0] = 1.0, 0.0
    probs = upper - lower
    m = probs @ values
    return m, probs @ values**2 - m**2


def composite_curve(child: Child) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of the composite given the latent factor, on `_X`."""
    mean, var = np.zeros_like(_X), np.zeros_like(_X)
    for item_mean in child.item_means:
        m, v = _rounded(item_mean + child.item_load * _X, child.item_noise, 1, 3)
        mean, var = mean + m, var + v
    m, v = _rounded(child.mood_mean - child.mood_load * _X, child.mood_noise, 1, 5)
    return mean + 6 - m, var + v


def _moments(curve: tuple[np.ndarray, np.ndarray], shift: float) -> tuple[float, float]:
    mean_x, var_x = curve
    w = np.exp(-((_X - shift) ** 2) / 2)
    w /= w.sum()
    mean = float(w @ mean_x)
    return mean, math.sqrt(float(w @ (var_x + (mean_x - mean) ** 2)))


def truth(child: Child, phi: float) -> Truth:
    curve = composite_curve(child)
    mean, sd = _moments(curve, 0.0)
    w = np.exp(-(_X**2) / 2)
    w /= w.sum()
    coefficients, he_prev, he = [], np.ones_like(_X), _X.copy()
    for k in range(1, _HERMITE + 1):  # probabilists' Hermite: He_k+1 = x He_k - k He_k-1
        c = float(w @ (curve[0] * he))
        coefficients.append(c * c / math.factorial(k) / sd**2)
        he_prev, he = he, _X * he - k * he_prev
    return Truth(mean, sd, phi, tuple(coefficients))


def latent_shift(child: Child, rise_sd: float) -> float | None:
    """Latent step that raises the mean composite by `rise_sd` own SDs; None at the ceiling."""
    curve = composite_curve(child)
    mean0, sd0 = _moments(curve, 0.0)
    target = mean0 + rise_sd * sd0
    low, high = 0.0, 8.0
    if _moments(curve, high)[0] < target:
        return None
    for _ in range(22):
        mid = (low + high) / 2
        low, high = (mid, high) if _moments(curve, mid)[0] < target else (low, mid)
    return (low + high) / 2


def simulate(
    child: Child, rng: random.Random, world: World, shift: float = 0.0, start: int = YEAR
) -> list[Observation]:
    observations, factor, phi = [], rng.gauss(0, 1), world.phi
    for t in range(YEAR):
        factor = phi * factor + math.sqrt(1 - phi * phi) * rng.gauss(0, 1)
        at = START + timedelta(days=7 * (t // 3) + 2 * (t % 3))
        rate = child.response + (child.response_end - child.response) * t / (YEAR - 1)
        if rng.random() > rate:
            observations.append(Observation(at, missed=True))
            continue
        x = factor + (shift if t >= start else 0.0)
        items = tuple(
            min(3, max(1, round(m + child.item_load * x + rng.gauss(0, child.item_noise))))
            for m in child.item_means
        )
        mood = round(child.mood_mean - child.mood_load * x + rng.gauss(0, child.mood_noise))
        partial = rng.random() < world.partial
        observations.append(
            Observation(at, mood=min(5, max(1, mood)), items=None if partial else items)  # type: ignore[arg-type]
        )
    return observations


@dataclass(frozen=True)
class Case:
    child: Child
    truth: Truth
    observations: list[Observation]
    start: int = YEAR  # first risen scheduled check-in; YEAR for a steady child
    usual_score: float = 0.0  # the child's mean three-item score over the year


def build_cohort(n: int, rng: random.Random, world: World) -> dict[float, list[Case]]:
    """n steady children (key 0.0) and n with each rise (+1 and +2 own SDs)."""
    cohort: dict[float, list[Case]] = {0.0: [], 1.0: [], 2.0: []}
    for rise, cases in cohort.items():
        while len(cases) < n:
            child = draw_child(rng, world)
            shift = latent_shift(child, rise) if rise else 0.0
            if shift is None:  # already at the top of the scales: no room to rise
                continue
            start = rng.randrange(24, 78) if rise else YEAR  # weeks 9-26
            observations = simulate(child, rng, world, shift, start)
            full = [o.loneliness for o in observations if o.loneliness is not None]
            usual = statistics.fmean(full) if full else 0.0
            cases.append(Case(child, truth(child, world.phi), observations, start, usual))
    return cohort


def pooled_cohort(n: int, seeds: list[int], world: World) -> dict[float, list[Case]]:
    """One cohort per seed (each world its own draw), pooled: n children a group from each."""
    pooled: dict[float, list[Case]] = {0.0: [], 1.0: [], 2.0: []}
    for seed in seeds:
        for rise, cases in build_cohort(n, random.Random(f"{seed}/{world.name}"), world).items():
            pooled[rise].extend(cases)
    return pooled
