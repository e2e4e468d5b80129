"""Dialog data is read and checked once at start and handed over as one frozen bundle."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.adapters.dialog_bundle import DialogDataError, load_dialogs
from bot.adapters.dialogs import DIALOGS_DIR
from bot.domain.dialog_data import AlertText, Dialogs


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, target, ignore=shutil.ignore_patterns("templates"))
    return target


def test_every_data_file_is_in_the_bundle():
    dialogs = load_dialogs()
    assert isinstance(dialogs, Dialogs)
    assert dialogs.questionnaire.words_step is not None
    assert dialogs.crisis_lexicon.category_names and dialogs.crisis_model.categories
    assert ("110", "police, if you are in danger right now") in dialogs.hotlines
    assert isinstance(dialogs.alert_texts["drift"], AlertText)
    assert dialogs.follow_up_schedule.child_days and dialogs.call_timing.reminder_before
    first_key, first_text = next(iter(dialogs.starters.values()))[0]
    assert dialogs.starter_text(first_key) == first_text
    assert dialogs.highlight(dialogs.highlights[0].key) is dialogs.highlights[0]
    assert dialogs.highlight("retired") is None
    with pytest.raises(KeyError):
        dialogs.starter_text("no such starter")


def test_the_bundle_cannot_be_changed_in_place():
    dialogs = load_dialogs()
    with pytest.raises(dataclasses.FrozenInstanceError):
        dialogs.hotlines = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        dialogs.alert_texts["drift"] = AlertText("x", "y")  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("calls.yaml", "timing:", "timings:"),
        ("departures.yaml", "parent_hour:", "parent_hours:"),
        ("highlights.yaml", "choices:", "options:"),
        ("alerts.yaml", "    step:", "    next:"),
    ],
)
def test_a_malformed_file_stops_the_start_naming_the_file(tmp_path, name, old, new):
    directory = _copy(tmp_path)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DialogDataError, match=name):
        load_dialogs(directory)
