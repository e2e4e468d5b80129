"""The little a bot must remember per child between check-ins, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

STATE_VERSION = 1


@dataclass(frozen=True)
class DetectorState:
    """One child's detector memory; `to_dict` gives plain JSON types, `from_dict` reads them back.

    `history` holds (loneliness score, mood) of the complete check-ins that form the baseline,
    oldest first, at most `DetectionParams.window` of them (about a kilobyte as JSON);
    `pending` holds those of the current run (either CUSUM above zero), kept out of the
    baseline until the run ends or grows past `hold_max`, so a rise is not averaged into the
    child's "usual" before the CUSUM has seen it.
    """

    history: tuple[tuple[int, int], ...] = ()
    pending: tuple[tuple[int, int], ...] = ()
    cusum: float = 0.0
    cusum_low: float = 0.0  # the downward CUSUM: only to tell when an excursion has ended
    cusum_since: datetime | None = None  # first check-in of the current run above zero
    high_run: int = 0
    high_since: datetime | None = None
    low_mood_run: int = 0
    low_mood_since: datetime | None = None
    missed_run: int = 0
    missed_since: datetime | None = None
    last_signal: dict[str, datetime] = field(default_factory=dict)  # reason -> when it last fired
    flagged_at: datetime | None = None  # when "consistently lonely" was raised: once per child
    # silence (silence.py): the answer rate's forgotten counts beyond the program's prior, and
    # the current silence's unanswered extra asks, the step it reached (0 none, 1 retry, 2 the
    # carer, 3 the task) and the scheduled misses at its last task
    answer_hits: float = 0.0
    answer_misses: float = 0.0
    run_continues: float = 0.0  # past runs' misses that followed a miss, and the runs' ends
    run_ends: float = 0.0
    extras_missed: int = 0
    silence_step: int = 0
    task_run: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": STATE_VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("history", "pending"):
                value = [list(pair) for pair in value]
            elif f.name == "last_signal":
                value = {reason: at.isoformat() for reason, at in sorted(value.items())}
            elif isinstance(value, datetime):
                value = value.isoformat()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetectorState:
        """Read a stored state; an unknown version starts afresh rather than misreading it."""
        if data.get("version") != STATE_VERSION:
            return cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in ("history", "pending"):
                value = tuple((int(score), int(mood)) for score, mood in value)
            elif f.name == "last_signal":
                value = {reason: datetime.fromisoformat(at) for reason, at in value.items()}
            elif f.name.endswith(("_since", "_at")) and value is not None:
                value = datetime.fromisoformat(value)
            values[f.name] = value
        return cls(**values)
