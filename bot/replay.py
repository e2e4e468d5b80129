"""`python -m bot replay FILE`: run the bot's own detection over recorded check-in histories.

Input: JSON lines such as {"child": "c1", "at": "2026-03-02T17:30:00+08:00", "mood": 3,
"items": [1, 2, 1], "text": null, "missed": false}, in time order per child; an optional
"extra": true marks an extra ask (the silence retry, a coordinator's check-in now) rather than
a scheduled check-in. Output: one JSON line per signal the bot would act on, {"child", "at",
"reason", "severity"}: alerts, and the watch steps with an action of their own (the retry to
the child, the word to the carer, the standing "consistently lonely" flag), each by its
reason's name. Crisis words in "text" take the same path as in the bot (urgent, bypassing
statistics; words the screen is unsure of, a "please_read" alert).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO

from bot.domain.alerting import SignalAction, action_for, crisis_alerts
from bot.domain.detection import (
    DEFAULT_PARAMS,
    PLEASE_READ,
    URGENT,
    DetectorState,
    Observation,
    assess,
    step,
)
from bot.domain.dialog_data import Dialogs


class ReplayError(ValueError):
    """A line of the input is not a check-in record; the message names the line."""


def _observation(record: dict[str, Any]) -> Observation:
    items = record.get("items")
    return Observation(
        at=datetime.fromisoformat(record["at"]),
        mood=record.get("mood"),
        items=tuple(items) if items else None,  # type: ignore[arg-type]
        missed=bool(record.get("missed", False)),
        extra=bool(record.get("extra", False)),
    )


def replay(lines: Iterable[str], dialogs: Dialogs) -> Iterator[dict[str, str]]:
    """Signals acted on, in input order, exactly as the bot's monitoring would act on them.

    `dialogs` is the bundle the bot itself runs on (read once by the command line, as
    bootstrap does), so the crisis screen here is the bot's own lexicon and model."""
    states: dict[str, DetectorState] = {}
    lexicon, model = dialogs.crisis_lexicon, dialogs.crisis_model
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            child = str(record["child"])
            observation = _observation(record)
        except (ValueError, KeyError, TypeError) as error:
            raise ReplayError(f"line {number}: {error}") from None
        at = observation.at.isoformat()
        text = record.get("text")
        verdict = assess(text, lexicon, model) if text and not observation.missed else None
        if verdict is not None and verdict.level == URGENT:
            for reason in crisis_alerts(verdict.category or ""):
                yield {"child": child, "at": at, "reason": reason, "severity": "urgent"}
        elif verdict is not None and verdict.level == PLEASE_READ:
            yield {"child": child, "at": at, "reason": "please_read", "severity": "alert"}
        state, signals = step(states.get(child, DetectorState()), observation, DEFAULT_PARAMS)
        states[child] = state
        for signal in signals:
            reason, severity = signal.reason.value, signal.severity.value
            if action_for(reason, severity) != SignalAction.NOTHING:
                yield {"child": child, "at": at, "reason": reason, "severity": severity}


def run_replay(source: TextIO, out: TextIO, dialogs: Dialogs) -> int:
    for alert in replay(source, dialogs):
        out.write(json.dumps(alert, ensure_ascii=False) + "\n")
    return 0
