"""Every tunable number of the detector in one place, each with the reason for its default.

Sources: DOMAIN_NOTES.md "Measures" and "Monitoring a child over time" (Hughes et al. 2004;
CUSUM k about 0.5 SD and h 4-5, EWMA lambda 0.1-0.2, as in Montgomery's Introduction to
Statistical Quality Control; child EMA compliance 70-78%), issue 3 ("Detection (core, no
Telegram)"), and `bench/detector.py`, which simulates a field-like cohort and prints what these
values reach. There are no published day-to-day norms for this scale in Chinese children, so
the prior below is a placeholder: replace it with the program's pooled figures after a term.
Composite units are "points": three-item loneliness score (3-9) plus inverted mood (6 - mood).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class DetectionParams:
    # --- composite --------------------------------------------------------------------------
    mood_weight: float = 1.0
    """Composite points per point of inverted mood. Within a child, mood (1-5) and the
    three-item score (3-9) vary by a similar number of points (bench cohort: 0.7 and 0.9), so
    equal points are close to equal standardised weights, and volunteers can read the sum."""

    # --- program-wide prior (new children borrow it) -----------------------------------------
    prior_loneliness: float = 4.6
    """Three-item score a new child is assumed to have (3-9, "lonely" from 6, Hughes 2004;
    14-18% of rural grade 3-6 children read as lonely, DOMAIN_NOTES; bench cohort mean)."""
    prior_mood: float = 3.9
    """Mood (1-5) a new child is assumed to have: most children tap a happy face most days."""
    prior_mean_weight: float = 2.0
    """Pseudo-check-ins the prior level counts for. Children differ about as much from each
    other as one child does from day to day (ICC about 0.5), so the Bayesian weight is about 1;
    2 keeps the first one or two answers from setting the level alone."""
    prior_spread: float = 1.65
    """Within-child SD of the composite expected away from the floor of the scales (score
    about 0.9 and mood 0.7 points, correlated; bench cohort, children with usual composite > 6)."""
    spread_at_floor: float = 0.5
    spread_slope: float = 0.5
    """Expected SD near the bottom of the scales, and how fast it grows per point of usual
    level until `prior_spread`: a child who nearly always answers "hardly ever" and the happiest
    face has little room to vary (floor effect of bounded scales; fits the bench cohort)."""
    prior_spread_weight: float = 12.0
    """Pseudo-check-ins the expected SD counts for. A child's own SD from a few coarse answers is
    very noisy, and an underestimated SD is what makes textbook charts alert 25-50% of steady
    children a year (DOMAIN_NOTES)."""
    spread_floor: float = 0.75
    """Smallest SD used, in points (half the typical spread): a child who always answers the
    same has SD 0, and one bad day must not count as many SDs (issue 3)."""

    # --- baseline -----------------------------------------------------------------------------
    min_answered: int = 8
    """Complete check-ins in the baseline before the CUSUM runs (about four weeks at three a
    week, 70% answered). Earlier, a child who starts high is the absolute rule's job."""
    window: int = 100
    """Complete check-ins kept for the baseline (about a school year at 70% answered): the mean
    error of a short baseline is the largest cost left after the spread prior (bench)."""
    hold_max: int = 10
    """Check-ins of a run (the upward or downward CUSUM above zero) wait outside the baseline,
    so a rise is not averaged into the child's "usual" before the CUSUM sees it; holding both
    directions keeps the baseline unbiased. Beyond this many, the oldest join anyway, so a real
    change of level is learnt in about three weeks."""
    mean_uncertainty: float = 2.0
    """The SD is widened by sqrt(1 + this / (check-ins behind the level)): a level from few,
    autocorrelated answers is itself uncertain, which matters most for new children."""
    winsor: float = 2.5
    """Baseline values are clipped to median +- winsor x SD before averaging: a robust mean for
    coarse integer answers, where a plain median jumps by whole points."""

    # --- one-sided CUSUM on the standardised composite ---------------------------------------
    cusum_k: float = 0.5
    """Reference value in SDs: half the smallest rise worth finding (1 SD), the textbook choice
    (DOMAIN_NOTES: k about 0.5 SD). 0.4 and 0.75 were no better in the bench."""
    cusum_h: float = 11.0
    """Decision interval in SDs. Textbook h 4-5 assumes independent answers and a known level;
    with day-to-day autocorrelation and a level estimated from a few dozen answers it alerts a
    third or more of steady children a year, so h is set with `bench/detector.py` for about 8%
    of steady children a year from drift (latent AR(1) 0.4 between check-ins; with less
    autocorrelation a lower h reaches the same rate: about 9 at 0.2, 7.5 at 0)."""
    z_cap: float = 3.0
    """Largest step one check-in adds or removes, in SDs: one extreme day never reaches h alone,
    and one good day does not wipe out a sustained rise."""

    # --- absolute and streak rules -----------------------------------------------------------
    high_score: int = 7
    """Three-item score counted as high: 6 or more is commonly read as lonely (Hughes 2004,
    DOMAIN_NOTES); 7 asks for more than the cut-off (issue 3's example)."""
    high_run: int = 2
    """Consecutive answered check-ins (with items) at or above `high_score` (issue 3's example).
    Trade-off (bench): a child's score varies by about a point from day to day, so this rule
    alone alerts about a third of steady children a year, a fifth of them not usually lonely;
    `high_score=8, high_run=3` keeps it to about 1% of those and meets the 10% false-alert
    target, at the cost of slower detection of rises (median +1 SD 17 -> 25 check-ins)."""
    low_mood: int = 2
    """Mood at or below this counts as low (the two sad faces)."""
    low_mood_run: int = 3
    """Consecutive answered check-ins (with mood) with low mood: a week at three a week."""

    k_uncertainty: float = 0.0
    high_margin: float = 3.0
    low_mood_margin: float = 2.0
    level_prior_weight: float = 2.0

    # --- silence -----------------------------------------------------------------------------
    silence_retry_after: int = 3
    """Consecutive missed check-ins before a gentle retry to the child: one week at three a
    week. With 70% answered such a run happens by chance, so this step is automatic and cheap."""
    silence_task_after: int = 6
    """Consecutive missed check-ins before the volunteer gets a task (two weeks): early
    non-response predicts later non-response (DOMAIN_NOTES), so silence is not left to drift."""
    silence_task_every: int = 6
    """While the silence goes on, the task is raised again every this many further misses."""

    # --- cooldowns ---------------------------------------------------------------------------
    cooldown: timedelta = timedelta(days=14)
    """After a drift, high-loneliness or low-mood signal the same reason stays quiet this long,
    so a volunteer is not sent the same news every check-in (issue 3: cooldowns)."""

    @property
    def prior_mean(self) -> float:
        """Composite a new child is assumed to have."""
        return self.prior_loneliness + self.mood_weight * (6 - self.prior_mood)

    def __post_init__(self) -> None:
        if min(self.spread_floor, self.prior_spread, self.spread_at_floor) <= 0:
            raise ValueError("spreads must be positive")
        if not 0 < self.silence_retry_after < self.silence_task_after:
            raise ValueError("the silence retry must come before the task")
        if self.silence_task_every < 1 or self.min_answered < 2 or self.hold_max < 0:
            raise ValueError("counts out of range")
        if self.cusum_h <= self.z_cap - self.cusum_k:
            raise ValueError("h must exceed one capped step, or one bad day could alert")


DEFAULT_PARAMS = DetectionParams()
