"""Every tunable number of the detector in one place, each with the reason for its default.

Sources: DOMAIN_NOTES.md "Measures" and "Monitoring a child over time" (Hughes et al. 2004;
CUSUM k about 0.5 SD and h 4-5, EWMA lambda 0.1-0.2, as in Montgomery's Introduction to
Statistical Quality Control; child EMA compliance 70-78%), issue 3 ("Detection (core, no
Telegram)"), and `bench/detector.py`, which simulates a field-like cohort and prints what these
values reach. There are no published day-to-day norms for this scale in Chinese children, so
the prior below is a placeholder: replace it with the program's pooled figures after a term.
Composite units are "points": three-item loneliness score (3-9) plus inverted mood (6 - mood).

What the defaults reach (`bench/detector.py --seed 20260302,11,3`: three cohorts of 400 a
group pooled, latent AR(1) 0.15 per check-in, the world calibrated so the bench's oracle
reproduces issue 3's "about 18 and 6"): all volunteer-facing alerts (drift, high loneliness,
low mood) reach 9.4% of steady children a year (target <= 10%; the three cohorts alone 9.2%,
8.0% and 11.0%: one cohort of 400 moves this share by about 1.5 points, so settings are
compared pooled); a +1 SD rise is found after a median 22 scheduled check-ins, 86% within the
year (target <= 20 and >= 90%); a +2 SD rise after 8 (target <= 7). The previous defaults
(hold_max 10, a fixed prior weight) reach 22 / 86%, 9 at the same share (scratch runs
mirroring the bench). The delay targets are not met at that false-alert share (see
`cusum_h`); the trade-off chosen keeps the false-alert target, since volunteers who are often
sent alerts about children who are fine stop reading them. In the harsher world (phi 0.4,
printed as a sensitivity line) the same defaults alert 21.2% of steady children (the previous
ones about 17%), +1 SD 20 / 88%, +2 SD 8.
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
    """Pseudo-check-ins the prior level counts for, for a child whose spread is `prior_spread`.
    Children differ about as much from each other as one child does from day to day (ICC about
    0.5), so the Bayesian weight is about 1; 2 keeps the first one or two answers from setting
    the level alone. The weight scales with the child's own variance (spread / prior_spread,
    squared), as Bayes' rule has it: a steady child's few answers say more about its level
    than a changeable child's, so a child near the floor of the scales (usual composite 4-5,
    spread 0.4-0.8) is no longer pulled up toward the program's usual 6.7, which made its
    baseline too high and hid its rises (three cohorts pooled, hold 10, 9.5% alerted: +1 SD
    found 86% -> 88%, delays unchanged)."""
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
    """Complete check-ins kept for the baseline (about a school year at 70% answered): the
    level's and the spread's errors shrink with every answer kept (bench)."""
    hold_max: int = 3
    """Check-ins of a run (the upward or downward CUSUM above zero) wait outside the baseline,
    so a rise is not averaged into the child's "usual" before the CUSUM sees it; holding both
    directions keeps the baseline unbiased. Beyond this many, the oldest join anyway. A short
    hold is nearly a self-starting CUSUM (each answer joins the level at once): with a level
    resting on 20-50 answers one risen answer moves it by 2-5% of the rise, while a long hold
    lets the errors of a steady child's level last through a whole run. At phi 0.15 with the
    same 9.5% of steady children alerted (scratch runs mirroring the bench, three cohorts
    pooled): hold 0 21 / 84%, 8; 3 21 / 86%, 8; 10 22 / 88%, 9 (one cohort: hold 1, 3, 5, 7
    and 10 give 21 / 87-89% and 8, 8, 9, 9, 10). The cost is robustness to autocorrelation:
    at phi 0.4 a short hold alerts more steady children (19-23% against 15-19%)."""
    mean_uncertainty: float = 2.0
    """The SD is widened by sqrt(1 + this / (check-ins behind the level)): a level from few,
    autocorrelated answers is itself uncertain, which matters most for new children."""
    winsor: float = 2.5
    """Baseline values are clipped to median +- winsor x SD before averaging: a robust mean for
    coarse integer answers, where a plain median jumps by whole points."""

    # --- one-sided CUSUM on the standardised composite ---------------------------------------
    cusum_k: float = 0.4
    """Reference value in SDs. The textbook choice is half the smallest rise worth finding (0.5
    for 1 SD, DOMAIN_NOTES). Here the level is estimated from a few dozen answers, so part of a
    +1 SD rise is hidden by the level's own error or learnt into the baseline before the CUSUM
    reaches h; a smaller k keeps more slow rises in reach. At the same 9% of steady children
    alerted (bench, phi 0.4), k 0.4 (h 12.75) finds 81% of +1 SD rises within the year against
    76% with 0.5 (h 11), median delay 28 either way, for one check-in more on +2 SD rises (12
    against 11). 0.25-0.35 find 84-86% at 12% but are slower on +2 SD rises (12-14); 0.6-0.75
    are quicker on them (9) and miss a quarter to a third of +1 SD rises."""
    cusum_h: float = 8.6
    """Decision interval in SDs. 8.6 (with `hold_max` 3 and the variance-scaled prior weight)
    keeps all volunteer-facing alerts at 9.5% of steady children a year in the calibrated
    world (three bench cohorts pooled); the history below was measured with hold_max 10, where
    one cohort needed 10.1 for 9%. Starting the CUSUM later (`min_answered` 16, h 8.0) reaches
    19 / 89%, 8 at 9.8%, but only because the bench's rises start after week 8: it leaves a
    child's first seven weeks, often those right after a parent leaves, to the level rules.
    Where the remaining loss lies (scratch runs at phi 0.15, drift alone at 9.5%, hold 0): a
    CUSUM told each child's true SD, with its level estimated as here, reaches 18 / 94%, 7; one
    whose SD is learnt only from the check-ins before the rise (which no real detector can
    know) 19 / 90%, 7; the SD as estimated here 20 / 87%, 8. So with a short hold the level's
    error costs little and the spread's error (a few dozen coarse answers, and a rise inflating
    it) is most of the gap. Spreads from successive differences or the moving range (robust to
    a step), from older check-ins only, frozen after 40 or 60 answers, or held out during runs
    did no better (20-22 / 87-88%, 7-8); neither did a run statistic deflated for the level's
    uncertainty (the CUSUM sum over the last m check-ins divided by sqrt(1 + m/n) or 1 + m/n:
    20-27 / 80-88%, 9), a second fast CUSUM (k 1.0) beside a self-starting one, a threshold
    that grows for young baselines (h x (1 + a/n) or (1 + (a/n)^2)), or scoring each answer by
    its mid-rank among the child's own answers (normal scores, no spread needed: 20-22 /
    80-93%, 8-10 for k 0.3-0.5).
    Textbook h 4-5 assumes independent answers and a known level; with a level estimated from
    a few dozen answers it alerts a third or more of steady children a year. Before, 10.1 was
    set with `bench/detector.py` in its calibrated world (phi 0.15)
    so that all volunteer-facing alerts together (drift about 8%, the level rules below about
    2%) stay within issue 3's 10% of steady children a year. At phi 0.4 the same h alerts 19%
    (12.75 would keep 9% there). At phi 0.15 with the same 9-10% (bench): k 0.5 needs h 8.4
    (+1 SD 21 / 84% found, +2 SD 9), k 0.6 h 7.4 (22 / 78%, 8), k 0.75 h 6.05 (26 / 69%, 8);
    k 0.4 keeps the most +1 SD rises in reach. The 10% is kept: a volunteer who is often sent
    children who are fine stops reading the alerts.
    Also tried at phi 0.15 (same budget), none better: a short-window rule beside the CUSUM
    (the mean standardised composite of the last 2 or 3 complete check-ins at least 2-2.5 SDs
    over the usual) brings +2 SD to 4-6 but alone alerts 12-43% of steady children, as coarse
    answers of low-variance children reach 2.5 SDs by chance; the level rules switched off
    (drift alone at 9.5%: 20 / 86%, 8); hold_max 20-40, spread floor 0.5, spread prior at the
    floor 0.3, spread prior weight 6 or 30, mean_uncertainty 0: 21-27 / 82-86%, 9-11. Most
    +1 SD rises not found are in children who vary little (true SD 0.7-1.2 points, near the
    floor of the scales), whose rise is about one point.
    Earlier tuning at phi 0.4 (h 12.75, 9% alerted): the delay targets (+1 SD median <= 20 with >=
    90% found, +2 SD <= 7) are out of reach in that world: even a CUSUM told each child's true mean
    and SD needs about 20-21 and 7-8 check-ins at 9-10% (the k that brings +2 SD to 7 puts +1 SD at
    21). The loss against it is the error of a level learnt from 15-50 autocorrelated answers,
    which no prior weight, spread prior or floor, hold length, window, z cap or allowance for the
    level's uncertainty tried in the bench recovered; weighting items and mood differently cannot
    help much either, as the day-to-day factor they share is most of the noise.
    Also tried against the bench at the same 9% (phi 0.4), none better than these defaults
    (+1 SD median / found, +2 SD median): the CUSUM told the child's true mean but its own
    estimated SD 22 / 98%, 9, and told both 21 / 99%, 9, so the level's error is nearly all the
    loss; mood weighted 0.6 or 1.4 against the items 29 / 76-82%, 12; a reference value that
    grows with the level's uncertainty (k 0.2-0.4 + 1-2 / sqrt(check-ins)) 29-33 / 71-79%,
    11-12; holding runs out of the baseline for 0, 3, 6, 20, 40 or all check-ins (a frozen
    baseline) 29-63 / 69-80%, 11-25, as a long hold lets a steady child's high run bias its
    own baseline low; a second, fast CUSUM (k 1.0-1.25) beside this one brings +2 SD to 7 only
    at 21-22% of steady children alerted; a change-point scan that tests the recent mean
    against the earlier one with the uncertainty of both (no plug-in level) 63 / 57%, 12; and a
    plain or more tightly winsorised mean, prior weights 4, spread prior weight 24-40, floor 1.0,
    mean_uncertainty 0 or 5: 28-33 / 78-80%, 12-13."""
    z_cap: float = 3.0
    """Largest step one check-in adds or removes, in SDs: one extreme day never reaches h alone,
    and one good day does not wipe out a sustained rise."""

    # --- level rules: high loneliness and low mood on consecutive answered check-ins ---------
    high_score: int = 7
    """Lowest three-item score that can count as high, whatever the child's usual: 6 or more
    is commonly read as lonely (Hughes 2004, DOMAIN_NOTES); 7 asks for more than the cut-off."""
    high_margin: float = 3.5
    """A score counts as high when it is at least this many points above the child's usual
    score (shrunk toward the program's `prior_loneliness` by `level_prior_weight`) and not
    below `high_score`. The bar is fixed from the check-ins before the run, so a run does not
    raise its own bar. A brand-new child's bar is 4.6 + 3.5 = 8.1: two 9s in a row ("often" to
    all three questions) alert, 7 7 and 8 8 do not. A child usually at 4.4 has bar 7.9 (8 8
    alerts), at 5.5 bar 9, and from about 5.6 up the rule is silent: such a child was already
    lonely at the start, its volunteer sees the trend, and a further rise is the drift rule's
    job.
    Trade-off (bench, phi 0.4): the old absolute rule (7 twice, at any time) alerted 39% of
    steady children a year, the usually lonely ones again after every cooldown; the relative
    bar with margin 3 (a new child: 8 twice) 5%, with 3.5 2%. 3.5 keeps the three
    volunteer-facing rules within 10% together; the level rule adds little to the delays
    (the drift CUSUM finds the same rises at a lower cost), so it is kept as a safety net."""
    high_run: int = 2
    """Consecutive answered check-ins (with items) at or above the bar (issue 3's example)."""
    low_mood: int = 2
    """Highest mood that can count as low (the two sad faces), whatever the child's usual."""
    low_mood_margin: float = 2.5
    """Mood counts as low when it is also at least this far below the child's usual mood
    (shrunk toward `prior_mood` like the score): for a new child (usual 3.9) and most children
    only the saddest face counts, for a child usually at 4.5 or happier both sad faces do, and
    a child usually below 3.5 is left to the drift rule (its low mood is its usual, and a
    further fall moves the composite). Trade-off (bench): the old rule (mood <= 2 three times,
    at any time) alerted 22% of steady children a year, nearly all usually sad ones; the
    relative bar alerts under 1%. Margin 2 (both sad faces for a new child) alerts about 6%
    with two in a row; a floor that always counts the saddest face twice costs 4 points."""
    low_mood_run: int = 2
    """Consecutive answered check-ins (with mood) with low mood. Two, as the bar already asks
    for the saddest face in most children; three would wait a further check-in for little
    saving (under 1 point of steady children)."""
    level_prior_weight: float = 2.0
    """Pseudo-check-ins the program's usual answers count for in the usual score and mood
    behind the two bars: a brand-new child is held to the program's bars, and its own answers
    take over within a few check-ins, so a child who is lonely from the start is not alerted
    again every two weeks. A weight of 4 keeps new children on the program's bar longer and
    alerts more usually lonely children (bench, margin 3: 8% against 5%)."""

    # --- silence: a run of misses against the child's own habit (silence.py) -----------------
    # `bench/silence.py --children 500 --seed 1,2` (README "Silence"; designs tried: silence.py):
    # steady children tasked within a year 0.5-8.5% (rates 50-90%), drift 2.8%, new 2.4%,
    # clustered misses 23.3% (over 10%); stopped ones tasked within 4 scheduled check-ins 15%
    # (50% answered) to 97% (90%), drift 65%, clustered 23%, new 77%; carer first 98.7-100%.
    # At low rates 4 check-ins cannot be met with answers alone: 4 scheduled misses and 4 extra
    # asks at most fit in them, and a child answering half the time misses 8 in a row 0.3 times
    # a year by chance, where 10% allows about 0.1 (10 misses).
    silence_prior_rate: float = 0.7
    """Answer rate a new child is assumed to have (child EMA compliance 70-78%, DOMAIN_NOTES)."""
    silence_prior_weight: float = 3.0
    """Check-ins the prior counts for: weak, so the child's own rate soon takes over. Both
    weights 10 (B, no new-child rule): new 56% within 4 (12%), 50% world 24.5% tasked (11%)."""
    silence_run_weight: float = 3.0
    """Run steps the child's miss rate counts for as the prior of q, the probability that a
    miss follows a miss (q is the miss rate when misses are independent). B alone: 1 learns
    clusters sooner (15% tasked) but slows all (70%: 46% within 4); 8 the reverse (32%, 61%)."""
    silence_clustered_prior: float = 0.5
    """Prior probability that a child's runs go on by their own q, not by its miss rate."""
    silence_forgetting: float = 0.98
    """Older check-ins count less (memory about 50), so a drifting habit is followed. 0.99 (B):
    70% within 4 60% (54%), clustered tasked 23.7% (20.7%), 50% world 10.0% (8.3%)."""
    silence_checkins_a_year: float = 156.0
    """Scheduled check-ins a year (three a week): a child's chances to start a run."""
    silence_extra_answer: float = 1.0
    """How readily a child missing at random answers an extra ask, against its rate."""
    silence_extra_cap: int = 4
    """Unanswered extra asks per silence: at most four free days fit in four scheduled ones."""
    silence_retry_budget: float = 30.0
    silence_carer_budget: float = 1.0
    silence_task_budget: float = 0.05
    """Silences a year this unusual that a child missing at random may reach each step with.
    The retry at about a 70% child's second miss, so the extra asks begin early (60, asks after
    nearly every miss, doubles them, 17-88 a year, for 10 points within 4). The carer about
    once a year, always a check-in before the task. The task at 0.05, so every world of steady
    children at random stays under 10% (with the caps and new-child rule the 50% world sits at
    8.5%); 0.1 (B) finds 70% within 4 at 70% (against 54%) but tasks 15% of the 50% world."""
    silence_plug_in_share: float = 0.2
    silence_new_child: float = 8.0
    """A child with fewer scheduled check-ins than this behind it (older ones counting less)
    also reaches a step when the count at the posterior means, without their uncertainty, is
    within this share of the budget; otherwise the uncertainty of a child with almost no
    history keeps long silences "likely" (answered once, then stopped: the task at 13 misses).
    0.3 over 12: new 89% within 4, 50% world 14% tasked; 0.1 over 12: 69%, 9.7%; 0.2 over 8:
    88%, 8.7%. A child who never answered reaches the task by its fifth scheduled check-in."""
    silence_retry_cap: int = 5
    silence_carer_cap: int = 14
    silence_task_cap: int = 15
    """Scheduled misses in a row that reach each step whatever the habit (five weeks for the
    task), the bound for children who rarely answer; a task cap of 12 tasks 9.7% of the 50%
    world against 8.3% (children answering 30% miss 12 in a row about twice a year)."""
    silence_task_every: int = 6
    """While the silence goes on, the task is raised again every this many further misses."""

    # --- standing flag: consistently lonely (placeholder rule) -------------------------------
    lonely_flag_window: int = 8
    """Latest complete check-ins the "consistently lonely" flag looks at (about four weeks at
    three a week, 70% answered). Placeholder."""
    lonely_flag_median: float = 7.0
    """The flag is raised when the median three-item score of those check-ins is at least this
    (6 or more is commonly read as lonely, Hughes 2004; 7 asks for more). Such a child is not
    rising but steadily lonely: a peer group helps more than an alert, so the flag is shown
    in the volunteer's and coordinators' views, once, and the repeated high-loneliness alert
    is held back while it holds. Placeholder."""

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
        if not 0 < self.silence_retry_cap < self.silence_carer_cap < self.silence_task_cap:
            raise ValueError("silence steps must come in order: retry, carer, task")
        if self.lonely_flag_window < 1 or not 3 <= self.lonely_flag_median <= 9:
            raise ValueError("lonely flag out of range")
        if self.silence_task_every < 1 or self.min_answered < 2 or self.hold_max < 0:
            raise ValueError("counts out of range")
        if self.high_run < 1 or self.low_mood_run < 1 or self.level_prior_weight <= 0:
            raise ValueError("level rules out of range")
        if self.cusum_h <= self.z_cap - self.cusum_k:
            raise ValueError("h must exceed one capped step, or one bad day could alert")


DEFAULT_PARAMS = DetectionParams()
