"""The replay tool runs the bot's own detection over recorded histories."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.adapters.dialog_bundle import load_dialogs
from bot.replay import ReplayError
from bot.replay import replay as replay_with

DIALOGS = load_dialogs()  # read once, as the command line does


def replay(lines):  # type: ignore[no-untyped-def]
    """The replay on the bot's own dialog data."""
    return replay_with(lines, DIALOGS)


START = datetime.fromisoformat("2026-03-02T17:30:00+08:00")


def _line(n: int, **fields) -> str:
    record = {
        "child": "c1",
        "at": (START + timedelta(days=2 * n)).isoformat(),
        "mood": 4,
        "items": [1, 1, 1],
        "text": None,
        "missed": False,
    }
    record.update(fields)
    return json.dumps(record)


def test_steady_child_raises_nothing():
    assert list(replay(_line(n) for n in range(30))) == []


def test_very_lonely_twice_is_an_alert():
    # eight calm check-ins first: a level rule speaks once the child's usual is known
    lines = [_line(n) for n in range(8)] + [_line(n, items=[3, 3, 3]) for n in (8, 9)]
    alerts = list(replay(lines))
    assert {
        "child": "c1",
        "at": json.loads(lines[9])["at"],
        "reason": "high_loneliness",
        "severity": "alert",
    } in alerts


def test_silence_is_reported_in_steps():
    lines = [_line(0)] + [_line(n, missed=True, mood=None, items=None) for n in range(1, 10)]
    alerts = list(replay(lines))
    reasons = [a["reason"] for a in alerts]
    assert reasons.index("silence_retry") < reasons.index("silence_carer")
    assert reasons.index("silence_carer") < reasons.index("silence_task")
    assert reasons.count("silence_carer") == 1
    carer = next(a for a in alerts if a["reason"] == "silence_carer")
    assert set(carer) == {"child", "at", "reason", "severity"} and carer["severity"] == "watch"


def test_a_steadily_lonely_child_is_reported_as_flagged_once():
    lines = [_line(n, items=[3, 2, 2]) for n in range(20)]  # score 7 every time
    alerts = list(replay(lines))
    assert alerts == [
        {
            "child": "c1",
            "at": json.loads(lines[11])["at"],  # the flag needs twelve complete check-ins
            "reason": "consistently_lonely",
            "severity": "watch",
        }
    ]


def test_children_are_followed_separately():
    lines = [_line(n, child=child) for n in range(8) for child in "ab"]
    lines += [
        _line(8, child="a", items=[3, 3, 3]),
        _line(8, child="b", items=[3, 3, 3]),
        _line(9, child="a", items=[3, 3, 3]),
    ]
    assert [a["child"] for a in replay(lines)] == ["a"]


def test_bad_line_is_named():
    with pytest.raises(ReplayError, match="line 2"):
        list(replay([_line(0), "{not json"]))


def test_an_extra_ask_is_read_from_the_optional_key():
    steady = [_line(n) for n in range(20)]
    silent = [_line(20 + n, missed=True, mood=None, items=None) for n in range(2)]
    asks = [_line(22 + n, missed=True, mood=None, items=None, extra=True) for n in range(4)]
    alone = list(replay(steady + silent))
    with_asks = list(replay(steady + silent + asks))
    assert len(with_asks) > len(alone)  # unanswered extra asks count within a silence
    assert list(replay(steady + asks)) == []  # and outside one they say nothing
