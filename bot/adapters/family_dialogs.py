"""Data for the family features from `dialogs/`: call timings and the highlights a child shares.

Kept beside the texts so a program can change them without touching code. Texts in these files are
English gettext msgids (extracted like every dialogs/*.yaml); `key` values and numbers are not.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path

from bot.adapters.dialogs import DIALOGS_DIR, read_yaml
from bot.domain.dialog_data import CallTiming, HighlightChoice


@cache
def load_call_timing(directory: Path = DIALOGS_DIR) -> CallTiming:
    timing = read_yaml(directory / "calls.yaml")["timing"]
    return CallTiming(
        reminder_before=timedelta(minutes=float(timing["reminder_minutes_before"])),
        ask_after=timedelta(minutes=float(timing["ask_minutes_after"])),
        answer_within=timedelta(hours=float(timing["answer_hours"])),
    )


@cache
def load_highlights(directory: Path = DIALOGS_DIR) -> tuple[HighlightChoice, ...]:
    return tuple(
        HighlightChoice(key=str(raw["key"]), child=raw["child"], parent=raw["parent"])
        for raw in read_yaml(directory / "highlights.yaml")["choices"]
    )
