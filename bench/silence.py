"""Silence against the child's own habit: how often steady children reach each silence step,
and how soon a child who stops answering reaches the volunteer's task (issue 10, item 2).

Only the answer process is simulated (what a child answers does not matter for silence), and
every check-in goes through `detector.step`, the code path the bot runs. Three scheduled
check-ins a week (Mon, Wed, Fri) for a year. The retry signal makes an extra ask the next day
when that day has no scheduled check-in (the bot opens it at once and it lapses when the next
scheduled check-in opens, so there is at most one a day, on days without a scheduled one); the
child answers it as it would a scheduled one, unless it has stopped.

Worlds: response rate 50% to 90% (each child's own rate drawn from Beta with concentration
`SPREAD` around it); "drift", each child's rate moving linearly over the year between two such
draws around 70%; "clustered", misses that come in runs (a two-state chain with the child's
own rate around 70% and a miss followed by another with probability `CLUSTER`, as with a phone
away for days); "new", children of the 70% world who stop within their first two weeks.
Groups: steady (random misses all year) and stopped (for good from a random scheduled check-in
of weeks 9-40; in "new", of the first six). Printed per world: the share of steady children
reaching the retry, the carer's word and the task within the year, extra asks per steady child
a year, the share of stopped children reaching the task within 4 scheduled check-ins of
stopping (the first unanswered counts as one), their median, and how often the carer's word
came at an earlier check-in than the task. `silence_figures` takes any children.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.domain.detection import (
    DEFAULT_PARAMS,
    DetectionParams,
    DetectorState,
    Observation,
    Reason,
)
from bot.domain.detection import step as detector_step

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # a Monday, 17:30 in Shanghai
SCHEDULED_DAYS = (0, 2, 4)  # Mon, Wed, Fri
DAYS = 364  # 52 weeks: 156 scheduled check-ins
SPREAD = 12.0  # Beta concentration of children's own rates around the world's
CLUSTER = 0.55  # clustered world: P(miss | the last ask was missed)
WITHIN = 4  # issue 10: the task within 4 scheduled check-ins of stopping
RATES = (0.5, 0.6, 0.7, 0.8, 0.9)


class Child(Protocol):
    def answers(self, day: int, extra: bool) -> bool:
        """Whether the child answers the check-in asked on `day` (called in time order)."""


class AtRate:
    """Misses at random at its own rate, which may move linearly over the year."""

    def __init__(self, rng: random.Random, start: float, end: float | None = None) -> None:
        self.rng, self.start, self.end = rng, start, start if end is None else end

    def answers(self, day: int, extra: bool) -> bool:
        rate = self.start + (self.end - self.start) * day / DAYS
        return self.rng.random() < rate


class Clustered:
    """A two-state chain with the child's own long-run rate; a miss makes the next likelier."""

    def __init__(self, rng: random.Random, rate: float, stay: float = CLUSTER) -> None:
        self.rng, self.stay, self.missed = rng, stay, False
        self.begin = min(1.0, (1 - rate) * (1 - stay) / rate)  # P(miss | answered), stationary

    def answers(self, day: int, extra: bool) -> bool:
        self.missed = self.rng.random() < (self.stay if self.missed else self.begin)
        return not self.missed


class Stopped:
    """A child who answers as `child` until its scheduled check-in number `stop`, then never."""

    def __init__(self, child: Child, stop: int) -> None:
        self.child, self.stop, self.scheduled = child, stop, 0

    def answers(self, day: int, extra: bool) -> bool:
        if not extra:
            self.scheduled += 1
        return self.scheduled <= self.stop and self.child.answers(day, extra)


def follow(
    child: Child, params: DetectionParams, until_task_after: int | None = None
) -> list[tuple[int, bool, list[Reason]]]:
    """One child through the detector: (scheduled check-ins so far, extra?, reasons) per ask.
    With `until_task_after`, stop once the task is raised after that many scheduled ones."""
    state, asked, scheduled, log = DetectorState(), False, 0, []
    for day in range(DAYS):
        extra = day % 7 not in SCHEDULED_DAYS
        if extra and not asked:
            continue
        asked = False
        scheduled += not extra
        at = START + timedelta(days=day)
        if child.answers(day, extra):
            observation = Observation(at, mood=4, extra=extra)
        else:
            observation = Observation(at, missed=True, extra=extra)
        state, signals = detector_step(state, observation, params)
        reasons = [s.reason for s in signals]
        asked = Reason.SILENCE_RETRY in reasons
        log.append((scheduled, extra, reasons))
        late = until_task_after is not None and scheduled > until_task_after
        if late and Reason.SILENCE_TASK in reasons:
            break
    return log


def silence_figures(
    steady: Iterable[Child],
    stopped: Iterable[tuple[Child, int]],
    params: DetectionParams = DEFAULT_PARAMS,
) -> dict[str, float]:
    """Shares (0-1) of steady children reaching each step in the year, extra asks per steady
    child, and for stopped children (each with the scheduled check-in number it stops after)
    the share tasked within `WITHIN` scheduled check-ins, the median and carer-first share."""
    reached = {Reason.SILENCE_RETRY: 0, Reason.SILENCE_CARER: 0, Reason.SILENCE_TASK: 0}
    extras, children = 0, 0
    for child in steady:
        log = follow(child, params)
        children += 1
        extras += sum(extra for _, extra, _ in log)
        seen = {reason for _, _, reasons in log for reason in reasons}
        for reason in reached:
            reached[reason] += reason in seen
    delays, carer_first = [], 0
    for child, stop in stopped:
        log = follow(Stopped(child, stop), params, until_task_after=stop)
        task = next(
            (i for i, (n, _, r) in enumerate(log) if n > stop and Reason.SILENCE_TASK in r), None
        )
        if task is None:
            delays.append(float("inf"))
            continue
        delays.append(log[task][0] - stop)
        carer = [i for i, (n, _, r) in enumerate(log) if n > stop and Reason.SILENCE_CARER in r]
        carer_first += bool(carer) and carer[0] < task
    count = max(children, 1)
    return {
        "retry": reached[Reason.SILENCE_RETRY] / count,
        "carer": reached[Reason.SILENCE_CARER] / count,
        "task": reached[Reason.SILENCE_TASK] / count,
        "extras": extras / count,
        "within": sum(d <= WITHIN for d in delays) / max(len(delays), 1),
        "median": statistics.median(delays) if delays else float("nan"),
        "carer_first": carer_first / max(sum(d != float("inf") for d in delays), 1),
    }


def _rate(rng: random.Random, mean: float) -> float:
    return rng.betavariate(mean * SPREAD, (1 - mean) * SPREAD)


World = Callable[[random.Random], Child]
WORLDS: dict[str, tuple[World, tuple[int, int]]] = {
    **{f"rate {r:.0%}": ((lambda rng, r=r: AtRate(rng, _rate(rng, r))), (24, 120)) for r in RATES},
    "drift": ((lambda rng: AtRate(rng, _rate(rng, 0.7), _rate(rng, 0.7))), (24, 120)),
    "clustered": ((lambda rng: Clustered(rng, _rate(rng, 0.7))), (24, 120)),
    "new": ((lambda rng: AtRate(rng, _rate(rng, 0.7))), (0, 6)),
}


def world_figures(
    name: str, children: int, seeds: Sequence[int], params: DetectionParams
) -> dict[str, float]:
    make, (first, last) = WORLDS[name]
    pooled: list[dict[str, float]] = []
    for seed in seeds:
        rng = random.Random(f"{name}:{seed}")
        steady = [make(rng) for _ in range(children)]
        stopped = [(make(rng), rng.randrange(first, last)) for _ in range(children)]
        pooled.append(silence_figures(steady, stopped, params))
    return {key: statistics.fmean(f[key] for f in pooled) for key in pooled[0]}


HEADER = (
    f"{'world':<10} {'retry':>6} {'carer':>6} {'task':>6} {'extra/yr':>8} "
    f"{'task<=4':>8} {'median':>6} {'carer1st':>8}"
)


def line(name: str, f: dict[str, float]) -> str:
    return (
        f"{name:<10} {f['retry']:>6.1%} {f['carer']:>6.1%} {f['task']:>6.1%} "
        f"{f['extras']:>8.1f} {f['within']:>8.1%} {f['median']:>6g} {f['carer_first']:>8.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=500, help="per group and seed")
    parser.add_argument("--seed", default="1,2", help="comma-separated seeds, pooled")
    parser.add_argument("--set", action="append", default=[], help="param=value, to try")
    parser.add_argument("--world", action="append", help="only these worlds")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seed.split(",")]
    overrides = {
        k: type(getattr(DEFAULT_PARAMS, k))(v) for k, v in (s.split("=") for s in args.set)
    }
    params = replace(DEFAULT_PARAMS, **overrides)
    print(f"{args.children} children a group x {len(seeds)} seeds; {overrides or 'defaults'}")
    print(HEADER)
    figures = {}
    for name in args.world or WORLDS:
        figures[name] = world_figures(name, args.children, seeds, params)
        print(line(name, figures[name]), flush=True)
    worst = {
        key: (min if key in ("within", "carer_first") else max)(f[key] for f in figures.values())
        for key in next(iter(figures.values()))
    }
    print(line("worst", worst))
    print("targets: steady task <= 10%; stopped task within 4 scheduled check-ins; carer first")


if __name__ == "__main__":
    main()
