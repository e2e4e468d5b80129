"""The composite a child's answers are read in, and the SD a child at a level is expected to have.

The child's own level, SD and autocorrelation are learnt in changepoint.py; what it borrows
from the program is only the SD expected for its level (a prior with a pseudo-count), because
a few coarse answers give a noisy SD and an underestimated SD is the main source of false
alerts.
"""

from __future__ import annotations

from bot.domain.detection.params import DetectionParams


def composite(loneliness: float, mood: float, params: DetectionParams) -> float:
    """Loneliness score (3-9) plus inverted mood (6 - mood): higher means worse."""
    return loneliness + params.mood_weight * (6 - mood)


def prior_spread(level: float, params: DetectionParams) -> float:
    """Spread a child at this composite level is expected to have: answers near the bottom of
    the scales (hardly ever lonely, happiest face) have little room to vary (floor effect)."""
    lowest = composite(3, 5, params)
    return min(
        params.prior_spread, params.spread_at_floor + params.spread_slope * (level - lowest)
    )
