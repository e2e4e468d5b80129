"""What goes into the detector (one check-in) and what comes out (a signal for the alert flow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Severity(StrEnum):
    """How soon a person must act; the alert flow maps these to delivery and escalation."""

    WATCH = "watch"  # the bot acts itself (a gentle retry); shown in the caseload, no push
    ALERT = "alert"  # a volunteer should look within the day (issue 3: 24 h before escalation)
    URGENT = "urgent"  # someone may be in danger now: volunteer and coordinators, day or night


class Reason(StrEnum):
    DRIFT = "drift"  # sustained rise of the child's own composite (changepoint.py)
    HIGH_LONELINESS = "high_loneliness"  # 9 of 9 twice for a usually calm child
    LOW_MOOD = "low_mood"  # several sad check-ins in a row
    SILENCE_RETRY = "silence_retry"  # first silence step: a gentle retry to the child
    SILENCE_TASK = "silence_task"  # second step: the volunteer reaches the carer or visits
    SILENCE_CARER = "silence_carer"  # between retry and task: a short word to the carer
    CONSISTENTLY_LONELY = "consistently_lonely"  # standing flag, not an alert: a peer group?
    CRISIS = "crisis"  # crisis words in free text (see crisis.py); never from statistics
    PLEASE_READ = "please_read"  # words the crisis screen was unsure of: a volunteer reads them


@dataclass(frozen=True)
class Observation:
    """One scheduled check-in of one child, answered, partly answered or missed.

    `items` are the three loneliness answers (1-3 each) in questionnaire order, None when the
    child stopped before them; `mood` is 1-5 with 5 the happiest. A missed check-in carries no
    answers (any given are ignored); an observation with no answers at all counts as missed.
    `extra` marks an extra ask (the silence retry, a coordinator's check-in now) rather than
    one of the child's scheduled check-ins: its answers count as any, its silence only within
    a silence that scheduled check-ins began (silence.py).
    """

    at: datetime
    mood: int | None = None
    items: tuple[int, int, int] | None = None
    missed: bool = False
    extra: bool = False

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise ValueError("Observation.at must be timezone-aware")
        if self.mood is not None and not 1 <= self.mood <= 5:
            raise ValueError(f"mood {self.mood} outside 1-5")
        if self.items is not None and (
            len(self.items) != 3 or any(not 1 <= item <= 3 for item in self.items)
        ):
            raise ValueError(f"items {self.items} must be three answers in 1-3")

    @property
    def answered(self) -> bool:
        return not self.missed and (self.mood is not None or self.items is not None)

    @property
    def loneliness(self) -> int | None:
        """Three-item score 3-9 (Hughes et al. 2004), None when the items were not answered."""
        return sum(self.items) if self.items is not None and not self.missed else None


@dataclass(frozen=True)
class Signal:
    """Something the alert flow should act on; `since` is when the underlying pattern began."""

    at: datetime
    reason: Reason
    severity: Severity
    since: datetime | None = None
    detail: str = ""
