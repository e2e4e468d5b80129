"""The little a bot must remember per child between check-ins, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

STATE_VERSION = 2  # 2: history holds (score, mood, gap, when); no held-out run


@dataclass(frozen=True)
class DetectorState:
    """One child's detector memory; `to_dict` gives plain JSON types, `from_dict` reads them back.

    `history` holds (loneliness score, mood, gap, when) of the complete check-ins since the
    last drift alert, oldest first, at most `DetectionParams.window` of them (about two
    kilobytes as JSON): `gap` is how many scheduled check-ins passed since the previous complete
    one (1: the one just before), which the child's autocorrelation needs, and `when` its time
    (Unix seconds), so an alert can say since when. The field `gap` counts the scheduled
    check-ins since the last complete one up to the current silence (`missed_run` counts that).
    """

    history: tuple[tuple[int, int, int, int], ...] = ()
    gap: int = 0
    cusum: float = 0.0  # the self-starting CUSUM (drift_design "cusum" only)
    cusum_since: datetime | None = None  # first check-in of its current run above zero
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
            if f.name == "history":
                value = [list(entry) for entry in value]
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
            if f.name == "history":
                value = tuple(tuple(int(part) for part in entry) for entry in value)
            elif f.name == "last_signal":
                value = {reason: datetime.fromisoformat(at) for reason, at in value.items()}
            elif f.name.endswith(("_since", "_at")) and value is not None:
                value = datetime.fromisoformat(value)
            values[f.name] = value
        return cls(**values)
