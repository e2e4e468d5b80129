"""Every tunable number of the detector in one place, each with the reason for its default.

Sources: DOMAIN_NOTES.md "Measures" and "Monitoring a child over time" (Hughes et al. 2004;
CUSUM k about 0.5 SD, Montgomery's Introduction to Statistical Quality Control; child EMA
compliance 70-78%; day-level autocorrelation 0.2-0.5 in children's diary studies), issues 3
and 10, and the benches: `bench/detector_threshold.py` fits the drift threshold table on standard
noise, `bench/detector.py --grid` measures everything on 14 simulated worlds (issue 10: lag-1
autocorrelation 0-0.45, 50-90% answered and drifting rates, item noise, children who vary
little or a lot, near the floor and the ceiling of the scales) beside an oracle told each
child's true mean, SD and autocorrelation. Composite units are "points": three-item loneliness
score (3-9) plus inverted mood (6 - mood). What the defaults reach, and what was tried: see
`drift_h` (and the README's grid table).
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

    # --- the child's own SD: expected by level, learnt from its answers ----------------------
    prior_spread: float = 1.65
    """Within-child SD of the composite expected away from the floor of the scales (score
    about 0.9 and mood 0.7 points, correlated; bench cohort, children with usual composite > 6)."""
    spread_at_floor: float = 0.5
    spread_slope: float = 0.5
    """Expected SD near the bottom of the scales, and how fast it grows per point of usual
    level until `prior_spread`: a child who nearly always answers "hardly ever" and the happiest
    face has little room to vary (floor effect of bounded scales; fits the bench cohort)."""
    prior_spread_weight: float = 3.0
    """Pseudo-answers the expected SD counts for beside the child's own (prewhitened) residuals.
    A child's own SD from a few coarse answers is very noisy, and an underestimated SD is what
    makes textbook charts alert 25-50% of steady children a year (DOMAIN_NOTES)."""
    spread_floor: float = 0.5
    """Smallest SD used, in points: a child who always answers the same has SD 0, and one bad
    day must not count as many SDs (issue 3)."""

    # --- the child's own autocorrelation ----------------------------------------------------
    phi_prior: float = 0.1
    """Lag-1 autocorrelation of the composite between scheduled check-ins that a child's own
    estimate is shrunk toward. Diary studies find 0.2-0.5 for the day-level factor; the
    composite's is lower, as item noise and rounding do not carry over (latent 0.15 gives
    composite 0.09-0.10 in the bench's original world)."""
    phi_prior_weight: float = 10.0
    """Pseudo-pairs the prior counts for: a child's own estimate from a few dozen pairs has a
    standard error about 0.15, so it takes over after about a month of answers."""
    phi_min: float = 0.0
    phi_max: float = 0.6
    """Range the estimate is held to: negative estimates are noise in a mood series, and above
    0.6 prewhitening would discard most of each answer."""
    phi_max_gap: int = 3
    """Answered pairs further apart than this many scheduled check-ins are not used for phi."""

    # --- the drift statistic (changepoint.py) ------------------------------------------------
    min_answered: int = 8
    """Complete check-ins before a candidate start of a rise (about four weeks at three a week,
    70% answered): before that the level rules and the standing flag speak for a new child."""
    window: int = 100
    """Complete check-ins kept (about a school year at 70% answered; a kilobyte of JSON)."""
    hold: int = 3
    """The newest complete check-ins left out of the SD and phi estimates (not of the level,
    which the statistic profiles out of all answers): a rise would inflate both and hide
    itself."""
    z_cap: float = 3.0
    """Largest residual one check-in counts for, in own SDs: one extreme day never carries a
    run alone."""
    drift_shift: float = 0.6
    """The step, in own SDs, the likelihood ratio is written for: +1 SD is the smallest rise
    worth finding (issue 3); larger ones pass the threshold sooner anyway."""
    drift_design: str = "cusum"
    """"glr": the profile likelihood ratio over candidate starts (changepoint.drift); "cusum":
    the prewhitened self-starting CUSUM (changepoint.cusum_step). Compared on the grid: see
    `drift_h`."""
    level_penalty: float = 1.0
    """How much of the level's own uncertainty the statistic charges a long run for: 1 is the
    full profile likelihood, 0 treats the level all answers imply as known."""
    drift_h_scale: float = 1.0
    """Multiplies the threshold table (drift_table.py): 1 is the share it was fitted for."""
    drift_h: float = 9.85
    """The drift threshold's floor (the CUSUM's threshold is the table's, at the child's own
    answer rate and its phi estimated before the current run: changepoint.threshold), and the
    whole threshold of the "glr" design. 9.85 was round 2's single h (3% of standard noise at
    phi ~0.15, 70% answered); as a floor it binds only for children answering under about half
    the time with little persistence, and 1e9 turns the drift rule off.
    Round 3 (issue 10: one h alerted 2% of steady standard-noise children a year at phi 0 and
    20% at 0.45; tuning seeds 11,12, 500 a group; alerted / +1 SD found, median delay):
    - one h 9.85 (round 2, 300 a group): phi 0 5.0% / 86% 25, phi .30 11.0% / 86% 28, phi .45
      18.7% / 83% 26, answer 50% 2.7% / 71% 48, issue cohort 11.3% / 85% 28;
    - the table on the phi the CUSUM prewhitens with (hold 3, share 4%): phi 0 3.8% / 81% 35,
      .30 6.0% / 66% 58, .45 9.0% / 60% 74, 50% 1.6% / 57% 75, 90% 6.6% / 85% 32, issue 7.0% /
      74% 48: a rise looks like persistence, its phi grows, and so does its threshold;
    - that phi taken from before the whole run for prewhitening too: the table's cells could no
      longer be told apart (h diverged in the fit); with the round's table unrefitted: phi .45
      13.6%, issue 10.8%, 90% 10.6%;
    - a fixed k (0.3 z units) with phi shrunk less (prior weight 3), one h: on standard noise
      1.8% (phi 0) to 7.0% (0.45); on the grid phi 0 3.8% / 80% 31, phi .30 5.8% / 75% 37:
      slower than k following phi at the same share; dropped (measured on two worlds only);
    - these defaults (the table read at the phi from the answers before the CUSUM's current
      run, log h linear in it per answer rate, share 4%): phi 0 2.2% / 77% 36, phi .45 8.2% /
      65% 61, answer 50% 1.8% / 59% 65, issue cohort 5.6% / 73% 47: the false-alert target in
      every world measured, bought with +1 SD rises found later (the table must cover the
      children whose phi is underestimated, so low-phi children pay too); `drift_h_scale`
      0.85: phi 0 4.0% / 80% 31, .45 10.8% / 71% 47, 50% 2.0% / 63% 56, 90% 8.2% / 87% 27,
      issue 9.6% / 80% 37: a few points found for the budget, over 10% at phi .45.
    Round 2's one h on standard noise (4,000 children, 70% answered): 3% 9.85, 5% 9.17.
    Designs compared in round 2 (tuning seed 20260302, 150 children a group on the worlds named,
    300 for the first line; +1 SD found / ratio of median delays to the oracle's, +2 SD ratio):
    - main's plug-in CUSUM (k 0.4, h 8.6, prior-shrunk floored spread, relative level bars),
      all 14 worlds: steady alerted 5.7-21.3% (mean 12.9%; phi .45 21%, ceiling 20%, issue
      cohort 19%, vary a lot 21%), +1 SD 71-95% / 1.24-1.78 (mean 1.41), +2 SD mean 1.23;
    - the profile likelihood ratio over candidate starts (drift_design "glr", shift 1, hold 10,
      h 5.7-6.0 from the same noise bench), original, phi .45, vary little, floor, ceiling,
      issue cohort: alerted 5-13%, +1 SD 69-85% / 1.53-2.14, +2 SD 1.0-1.29. Profiling the
      level out is principled but charges a long run for the level's uncertainty (its evidence
      times n_before / (n_before + n_after)), which is where +1 SD rises are found: slower;
      `level_penalty` 0.5 or 0 (the level before each start plugged in) only raises h (8.0,
      39) and was not better;
    - this CUSUM with k half a +1 SD step (shift 1.0, h 7.06): alerted 5-15%, +1 SD 70-81% /
      mean 1.47, +2 SD mean 1.06; hold 10 (h 8.3-8.9) 1.50-1.59 and +2 SD 1.25; phi prior 0.15
      with weight 5: unchanged; the SD from successive differences of the prewhitened
      residuals (a rise does not inflate it) instead of their spread: +1 SD found +1-3 points;
    - shift 0.6 (these defaults; original, phi .45, vary little, floor): alerted 6-13%, +1 SD
      79-88% / mean 1.34, +2 SD mean 1.27: the small k keeps more +1 SD rises in reach at the
      cost of +2 SD; spread prior weight 1 instead of 3: the same;
    - a companion CUSUM for +2 SD (shift 2, h 3.97 at 1% alone, slow h 10.12): +2 SD mean
      1.14 but steady alerted 11-29% (phi .45 29%): a fast CUSUM on few answers is not pivotal
      under autocorrelation and coarse answers; rejected. Held-out figures: README."""

    # --- level rules: only at the extremes, only once the child's usual is known ------------
    level_min_answered: int = 8
    """Complete check-ins before the level rules speak (the child's usual must be known)."""
    high_score: int = 9
    """Three-item score that counts as very lonely: "often" to all three questions."""
    high_usual_max: float = 4.5
    """The high-loneliness rule speaks only for a child whose usual score is at most this:
    for such a child 9 of 9 is far outside its range (about four own SDs). A child who is
    usually lonelier is the drift rule's (a rise) and the standing flag's (steadily lonely)."""
    high_run: int = 2
    """Consecutive answered check-ins (with items) at the high score (issue 3's example)."""
    low_mood: int = 1
    """Mood that counts as low: the saddest face."""
    low_mood_usual_min: float = 4.0
    """The low-mood rule speaks only for a usually happy child (usual mood at least this)."""
    low_mood_run: int = 2
    """Consecutive answered check-ins (with mood) with the saddest face."""

    # --- silence: a run of misses against the child's own habit (silence.py) -----------------
    # `bench/silence.py --children 500 --seed 1,2` (README "Silence"; designs tried: silence.py):
    # steady children tasked within a year 2.6-7.7% (rates 90-50%; round 1: 0.5-8.5%), drift
    # 6.6%, new 4.2%, clustered misses 32.3% (round 1 23.3%; over 10%); stopped ones tasked
    # within 4 scheduled check-ins 18% (50% answered), 43%, 65%, 88%, 97.5% (90%), drift 70%,
    # clustered 32%, new 82%; carer first 99.0-100%; extra asks 14-31 a steady child a year.
    # At low rates 4 check-ins cannot be met with answers alone: 4 scheduled misses and 6 extra
    # asks at most fit in them, and a child answering half the time misses 10 in a row about
    # 0.08 times a year by chance, where its budget allows far less (0.05 x exp(-12.5 x 0.1)).
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
    silence_extra_cap: int = 6
    """Unanswered extra asks per silence: four free days fit between four scheduled misses and
    one or two more before the fifth (the bench counts a task there as within 4). Round 1: 4;
    at 6 (seeds 7,8) 70% within 4 69% against 63%, 50% world 6.8% tasked against 10.7%."""
    silence_retry_budget: float = 30.0
    silence_carer_budget: float = 1.0
    silence_task_budget: float = 0.05
    """Silences a year this unusual that a child missing at random may reach each step with.
    The retry at about a 70% child's second miss, so the extra asks begin early (60, asks after
    nearly every miss, doubles them, 17-88 a year, for 10 points within 4). The carer about
    once a year, always a check-in before the task. The task at 0.05, so every world of steady
    children at random stays under 10% (with the caps and new-child rule the 50% world sits at
    8.5%); 0.1 (B) finds 70% within 4 at 70% (against 54%) but tasks 15% of the 50% world."""
    silence_budget_rate: float = 0.5
    """The rate at which each budget is the flat one above (silence_budget.py)."""
    silence_budget_z: float = 2.0
    """The budgets are set at the posterior mean rate less this many SDs. At 0 children with a
    lucky start were tasked early (50% world 14% with the task's budget 0.1 at 70%, slope 8;
    7.5% at 1); 2, and new children on the flat budgets, kept."""
    silence_retry_slope: float = 7.0
    silence_carer_slope: float = 0.0
    silence_task_slope: float = 12.5
    """Each budget is times exp(slope x (rate - silence_budget_rate)): the task's 0.05 at 50%
    is about 0.6 at 70% and 7 at 90%, the retry's 30 about 120 at 70% (the first miss), 15 at
    40% (the third), so the extra asks go where they can find a stopped child in time (50%
    world 25.7 a year against 41.6). Seeds 7,8, 300 a group (50/70/90% tasked, 70% within 4):
    task 0.1 at 70%, slope 4: 14/6/2.5, 67.5; slope 8: 14/7.5/3 (lucky starts, then z);
    0.3 at 70%, slope 12, task cap 18: 13/8.5/3, 70; retry at every first miss: 46.7 asks a
    year at 50%, 71.5 within 4 (against 69 kept). The carer's word keeps its budget of 1."""
    silence_slope_full: float = 0.3
    silence_slope_none: float = 0.45
    """The slope is taken in full while the child's runs look random (clustered share at most
    the first), not at all once they look clustered (the second): random children sit at
    0.25-0.48, clustered ones 0.27-0.97. At 1 - share throughout the clustered world was
    tasked 43%, at 0.35-0.6 41%, at these 31% (round 1: 24%), within 4 33% (22%); at
    0.27-0.4 28%, but the 70% world's stopped children within 4 fell to 66% (69%)."""
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

    # --- standing flag: consistently lonely -------------------------------------------------
    lonely_flag_window: int = 24
    """Latest complete check-ins the "consistently lonely" flag looks at (about eleven weeks
    at three a week, 70% answered)."""
    lonely_flag_min: int = 12
    """Complete check-ins before the flag can be raised (about a month and a half)."""
    lonely_flag_score: float = 6.0
    """The flag is raised when the child's usual three-item score over the window is above
    this (6 or more is commonly read as lonely, Hughes 2004) by `lonely_flag_z` standard
    errors (its own SD and autocorrelation: n / (1 + 2 phi / (1 - phi)) effective answers).
    Such a child is not rising but steadily lonely: a peer group helps more than an alert, so
    the flag is shown in the volunteer's and coordinators' views, once, and the high-loneliness
    alert is held back while it holds (drift still works: getting lonelier is a change)."""
    lonely_flag_z: float = 1.645
    """One-sided 95%: about one steady child in twenty at exactly 6 would be flagged."""

    # --- cooldowns ---------------------------------------------------------------------------
    cooldown: timedelta = timedelta(days=14)
    """After a drift, high-loneliness or low-mood signal the same reason stays quiet this long,
    so a volunteer is not sent the same news every check-in (issue 3: cooldowns)."""

    def __post_init__(self) -> None:
        if min(self.spread_floor, self.prior_spread, self.spread_at_floor) <= 0:
            raise ValueError("spreads must be positive")
        if not 0 < self.silence_retry_cap < self.silence_carer_cap < self.silence_task_cap:
            raise ValueError("silence steps must come in order: retry, carer, task")
        if not 0 <= self.silence_slope_full < self.silence_slope_none or self.silence_budget_z < 0:
            raise ValueError("silence budget slopes out of range")
        if self.lonely_flag_window < self.lonely_flag_min or self.lonely_flag_min < 2:
            raise ValueError("lonely flag out of range")
        if not 3 <= self.lonely_flag_score <= 9 or self.lonely_flag_z < 0:
            raise ValueError("lonely flag out of range")
        if self.silence_task_every < 1 or self.min_answered < 2 or self.hold < 0:
            raise ValueError("counts out of range")
        if self.high_run < 1 or self.low_mood_run < 1 or self.level_min_answered < 1:
            raise ValueError("level rules out of range")
        if not self.phi_min <= self.phi_prior <= self.phi_max < 1 or self.phi_prior_weight < 0:
            raise ValueError("autocorrelation out of range")
        if self.drift_h <= self.drift_shift * self.z_cap - self.drift_shift**2 / 2:
            raise ValueError("h must exceed one capped step, or one bad day could alert")


DEFAULT_PARAMS = DetectionParams()
