"""Reading a transcript file: who takes part, when it starts, and what happens, in order.

A transcript is YAML (see tests/transcripts/*.yaml and the README's testing section):

    start: 2026-11-23 16:00          # the fake clock, on the program's clock (Asia/Shanghai)
    emulator: true                   # also replay it end to end through the Bot API emulator
    people:                          # enrolled in this order before the first step
      xiaoming: {role: child, language: en}
      mum: {role: parent, of: xiaoming, language: en}
    steps:
      - at: 2026-11-23 17:30         # the clock moves there, then the repeating tick runs
      - wait: 3h                     # the clock moves on (m, h, d), then the tick runs
      - xiaoming: I miss you         # a person writes (a /command when it starts with /)
      - xiaoming taps: 🙂            # the newest button whose label contains this
      - xiaoming sends voice: 4      # a voice note of so many seconds
      - xiaoming answers check-ins: {count: 3, taps: [🙂, Hardly ever, Skip]}
        show: nobody                 # any step: whose changes to print (default everyone)
    expected: |                      # written by TONGBAN_WRITE_TRANSCRIPTS=1, compared otherwise
      ...

`answers check-ins` moves the clock to each of the child's next scheduled check-ins in turn,
lets it come, taps the labels in order and lets a minute pass. Every step ends with one tick.
The expected block lists, per step, its time and input, then for each person in the order of
`people`: button notices, then new messages (numbered per person as first shown), edits and
deletions in message order; a message first seen in a hidden step is "earlier message".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ROLES = ("coordinator", "volunteer", "child", "parent", "carer")
LANGUAGES = {"en": "en", "zh": "zh-hans"}
_DURATION = re.compile(r"(\d+)\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
VERBS = {"says": "says", "taps": "taps", "sends voice": "voice", "answers check-ins": "checkins"}
_PERSON_STEP = re.compile(r"^(\w+)(?: (taps|sends voice|answers check-ins))?$")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    language_code: str
    of: str = ""  # the child a parent, carer or volunteer belongs to
    age_band: str = "10-12"
    guardianship: str = "grandparents"
    telegram_id: int = 0


@dataclass(frozen=True)
class Step:
    """One input: `verb` is at, wait, says, taps, voice or checkins."""

    verb: str
    value: Any
    who: str = ""
    show: tuple[str, ...] | None = None  # None: everyone
    echo: str = ""


@dataclass
class Script:
    path: Path
    start: datetime
    people: list[Person]
    steps: list[Step]
    emulator: bool = False
    expected: str = ""
    by_name: dict[str, Person] = field(default_factory=dict)


def parse_duration(text: str) -> timedelta:
    parts = _DURATION.findall(str(text))
    if not parts or _DURATION.sub("", str(text)).strip():
        raise ValueError(f"not a duration: {text!r} (like 30m, 3h, 2d 4h)")
    return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in parts), timedelta())


def parse_time(text: Any, tz: ZoneInfo) -> datetime:
    when = text if isinstance(text, datetime) else datetime.fromisoformat(str(text))
    return when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)


def _person(index: int, name: str, fields: dict[str, Any]) -> Person:
    role = fields.get("role")
    if role not in ROLES:
        raise ValueError(f"{name}: role must be one of {ROLES}")
    language = fields.get("language", "en")
    if language not in LANGUAGES:
        raise ValueError(f"{name}: language must be one of {tuple(LANGUAGES)}")
    extra = {k: str(fields[k]) for k in ("of", "age_band", "guardianship") if k in fields}
    if role in ("parent", "carer", "volunteer") and not extra.get("of"):
        raise ValueError(f"{name}: a {role} needs `of: CHILD`")
    return Person(name, role, LANGUAGES[language], telegram_id=10_001 + index, **extra)


def _step(item: Any, tz: ZoneInfo, names: set[str]) -> Step:
    if not isinstance(item, dict) or not item:
        raise ValueError(f"a step is a mapping such as `xiaoming: hello`, not {item!r}")
    (key, value), *options = item.items()
    show = dict(options).get("show")
    shown = None if show is None else tuple(() if show == "nobody" else str(show).split())
    if shown and not set(shown) <= names:
        raise ValueError(f"`show: {show}` names someone who is not in this transcript")
    if key == "at":
        return Step("at", parse_time(value, tz), show=shown, echo=f"the clock reaches {value}")
    if key == "wait":
        return Step("wait", parse_duration(value), show=shown, echo=f"{value} pass")
    found = _PERSON_STEP.match(str(key))
    if not found or found.group(1) not in names:
        raise ValueError(f"unknown step {key!r}: not a person of this transcript or a verb")
    who, verb = found.group(1), found.group(2) or "says"
    echo = f"{who}: {value}" if verb == "says" else f"{who} {verb}: {value}"
    if verb == "answers check-ins":
        which = (
            "the next check-in" if value["count"] == 1 else f"the next {value['count']} check-ins"
        )
        echo = f"{who} answers {which}: {', '.join(map(str, value['taps']))}"
    return Step(VERBS[verb], value, who=who, show=shown, echo=echo)


def load(path: Path, tz: ZoneInfo) -> Script:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    people = [_person(i, name, f or {}) for i, (name, f) in enumerate(data["people"].items())]
    names = {p.name for p in people}
    steps = [_step(item, tz, names) for item in data["steps"]]
    script = Script(
        path=path,
        start=parse_time(data["start"], tz),
        people=people,
        steps=steps,
        emulator=bool(data.get("emulator", False)),
        expected=data.get("expected") or "",
    )
    script.by_name = {p.name: p for p in people}
    return script


def write_expected(path: Path, transcript: str) -> None:
    """Replace the file's `expected:` block (always the last key), keeping the rest as written."""
    text = path.read_text(encoding="utf-8")
    head = re.split(r"(?m)^expected:.*$", text, maxsplit=1)[0].rstrip("\n")
    block = "".join(f"  {line}\n" if line else "\n" for line in transcript.splitlines())
    path.write_text(f"{head}\nexpected: |\n{block}", encoding="utf-8")
