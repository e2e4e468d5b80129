"""Load the nudge starters, school holidays and the departure follow-up schedule from `dialogs/`.

Starter texts are gettext msgids (translated where they are shown); keys are stored ids.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from bot.adapters.dialogs import DIALOGS_DIR, read_yaml
from bot.domain.follow_ups import FollowUpSchedule


@cache
def load_starters(directory: Path = DIALOGS_DIR) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per topic, the (key, msgid) of each conversation starter, in file order."""
    raw = read_yaml(directory / "nudges.yaml")["starters"]
    starters = {
        topic: tuple((str(item["key"]), str(item["text"])) for item in items)
        for topic, items in raw.items()
    }
    keys = [key for items in starters.values() for key, _ in items]
    if len(set(keys)) != len(keys) or any(len(key) > 32 for key in keys):
        raise ValueError("nudges.yaml: starter keys must be unique and at most 32 characters")
    return starters


@cache
def starter_texts(directory: Path = DIALOGS_DIR) -> dict[str, str]:
    """Starter key -> msgid."""
    return {key: text for items in load_starters(directory).values() for key, text in items}


@cache
def load_holidays(directory: Path = DIALOGS_DIR) -> tuple[tuple[date, date], ...]:
    raw = read_yaml(directory / "nudges.yaml").get("school_holidays") or ()
    return tuple((item["from"], item["to"]) for item in raw)


@cache
def load_follow_up_schedule(directory: Path = DIALOGS_DIR) -> FollowUpSchedule:
    raw = read_yaml(directory / "departures.yaml")["schedule"]
    return FollowUpSchedule(
        child_days=tuple(int(day) for day in raw["child_checkins"]),
        parent_days=tuple(int(day) for day in raw["parent_nudges"]),
        parent_hour=int(raw["parent_hour"]),
    )
