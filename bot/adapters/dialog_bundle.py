"""Read every data file in `dialogs/` into one `Dialogs` bundle, checked, for `bot.bootstrap`.

The files are parsed by the loaders beside them (dialogs.py, contact_dialogs.py,
family_dialogs.py); this is the one place that calls them. Services never do: they read the
bundle from `Deps.dialogs`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from bot.adapters import contact_dialogs, dialogs, family_dialogs
from bot.adapters.dialogs import DIALOGS_DIR
from bot.domain.dialog_data import AlertText, Dialogs

T = TypeVar("T")


class DialogDataError(ValueError):
    """A data file in dialogs/ is not shaped as the code expects; names the file and field."""


def load_dialogs(directory: Path = DIALOGS_DIR) -> Dialogs:
    """Every file read and checked now: a malformed one raises, naming it, before the bot runs."""
    d = directory
    return Dialogs(
        questionnaire=_read(d / "checkin.yaml", lambda: dialogs.load_questionnaire("checkin", d)),
        crisis_lexicon=dialogs.load_crisis_lexicon(d),  # names the file and field itself
        crisis_model=dialogs.load_crisis_model(d),  # likewise
        hotlines=_read(d / "crisis.yaml", lambda: dialogs.load_hotlines(d)),
        alert_texts=_alert_texts(d),
        starters=MappingProxyType(
            dict(_read(d / "nudges.yaml", lambda: contact_dialogs.load_starters(d)))
        ),
        holidays=_read(d / "nudges.yaml", lambda: contact_dialogs.load_holidays(d)),
        follow_up_schedule=_read(
            d / "departures.yaml", lambda: contact_dialogs.load_follow_up_schedule(d)
        ),
        call_timing=_read(d / "calls.yaml", lambda: family_dialogs.load_call_timing(d)),
        highlights=_read(d / "highlights.yaml", lambda: family_dialogs.load_highlights(d)),
    )


def _read(path: Path, load: Callable[[], T]) -> T:
    """`load()`, with a missing field or a wrong shape reported against the file."""
    try:
        return load()
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DialogDataError(f"{path}: {type(error).__name__}: {error}") from None


def _alert_texts(directory: Path) -> MappingProxyType[str, AlertText]:
    path = directory / "alerts.yaml"
    raw = _read(path, lambda: dialogs.load_alert_texts(directory))
    texts: dict[str, AlertText] = {}
    for reason, entry in (raw or {}).items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(field), str) and entry[field].strip()
            for field in ("title", "step")
        ):
            raise DialogDataError(f"{path}: reason {reason!r} needs a `title` and a `step` text")
        texts[str(reason)] = AlertText(title=entry["title"], step=entry["step"])
    return MappingProxyType(texts)
