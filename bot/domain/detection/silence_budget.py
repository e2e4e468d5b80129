"""Each silence step's yearly budget, set by the child's answer rate (issue 10, item 2).

With one budget for every child the false tasks were spent unevenly: a child answering often
misses so rarely that each further miss divides the chance of its silence by five or ten, so
the step came at a silence far rarer than its budget (0.5% of the 90% world tasked, 8.5% of
the 50% world). Here a step's budget is its budget at `silence_budget_rate` times
exp(slope x (rate - silence_budget_rate)): larger where misses are rare, smaller where they
are common, so that children of every habit reach the task by chance about as often, and a
child who stops is found sooner where that is possible at all. The rate is the posterior mean
less `silence_budget_z` of its SDs (a lucky start is not trusted), and the slope is taken only
as far as the child's misses look random (`clustered_share`): a child whose misses come in
runs keeps the flat budget, since the slopes were set on worlds of random misses. A child
with almost no history (`silence_new_child`) keeps the flat budgets too (silence.py).
"""

from __future__ import annotations

import math

from bot.domain.detection.params import DetectionParams

Budgets = tuple[float, float, float]


def flat_budgets(params: DetectionParams) -> Budgets:
    """The retry's, the carer's and the task's budgets at `silence_budget_rate`."""
    return (params.silence_retry_budget, params.silence_carer_budget, params.silence_task_budget)


def budget_rate(answers: float, misses: float, params: DetectionParams) -> float:
    """A rate the child is fairly surely above: the Beta posterior's mean less z SDs."""
    total = answers + misses
    mean = answers / total
    return mean - params.silence_budget_z * math.sqrt(mean * (1 - mean) / (total + 1))


def random_share(clustered: float, params: DetectionParams) -> float:
    """How much of the slope a child gets: all of it while its runs look random (`clustered`
    at most `silence_slope_full`), none once they look clustered (`silence_slope_none`)."""
    full, none = params.silence_slope_full, params.silence_slope_none
    return min(1.0, max(0.0, (none - clustered) / (none - full)))


def step_budgets(
    answers: float, misses: float, clustered: float, params: DetectionParams
) -> Budgets:
    """The three budgets for a child with this Beta posterior (answers, misses) of its rate
    and this posterior probability `clustered` that its misses come in runs."""
    offset = budget_rate(answers, misses, params) - params.silence_budget_rate
    offset *= random_share(clustered, params)
    slopes = (params.silence_retry_slope, params.silence_carer_slope, params.silence_task_slope)
    return tuple(  # type: ignore[return-value]
        budget * math.exp(slope * offset)
        for budget, slope in zip(flat_budgets(params), slopes, strict=True)
    )
