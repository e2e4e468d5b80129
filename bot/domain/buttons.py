"""Declaring a button action once: its tag and typed fields give its callback data both ways.

Telegram hands back at most 64 bytes of callback data, and anything may come back: an old
button, a stale one, a forged one. An action is a class decorated with `@button(tag)` (it becomes
a frozen dataclass); the type of each field says how that part is written and read:

- `int`: decimal digits, optionally negative (at most 18 digits);
- `bool`: "y" or "n";
- a `StrEnum`: one of its values;
- `Annotated[str, Text(pattern)]` or `Annotated[str, OneOf(...)]`: a short checked string.

Data is the tag and the parts joined by ":". Encoding refuses a value that would not decode
back (so no button is ever sent that its own bot cannot read) and data over 64 bytes; decoding
returns None for anything that does not fit. The ids it yields are still checked by the service
against the person who pressed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import Enum
from typing import Annotated, Any, Protocol, TypeVar, dataclass_transform, get_args, get_origin
from typing import get_type_hints as _hints

MAX_BYTES = 64
SEPARATOR = ":"
_INT = re.compile(r"-?[0-9]{1,18}")
_TAG = re.compile(r"[a-z]{1,3}")


class Part(Protocol):
    """How one field is written into callback data and read back (None: it does not fit)."""

    def dump(self, value: Any) -> str: ...

    def load(self, text: str) -> Any | None: ...


class Int:
    def dump(self, value: int) -> str:
        text = str(value)
        if isinstance(value, bool) or not _INT.fullmatch(text):
            raise ValueError(f"not a short integer: {value!r}")
        return text

    def load(self, text: str) -> int | None:
        return int(text) if _INT.fullmatch(text) else None


class YesNo:
    def dump(self, value: bool) -> str:
        return "y" if value else "n"

    def load(self, text: str) -> bool | None:
        return {"y": True, "n": False}.get(text)


@dataclass(frozen=True)
class Text:
    """A string matching `pattern` whole; `empty`, if set, stands for "" (no part is blank)."""

    pattern: str
    empty: str | None = None

    def dump(self, value: str) -> str:
        if not value and self.empty is not None:
            return self.empty
        if not re.fullmatch(self.pattern, value):
            raise ValueError(f"{value!r} does not match {self.pattern}")
        return value

    def load(self, text: str) -> str | None:
        if self.empty is not None and text == self.empty:
            return ""
        return text if re.fullmatch(self.pattern, text) else None


@dataclass(frozen=True)
class OneOf:
    """One of a few fixed strings."""

    values: tuple[str, ...]

    def dump(self, value: str) -> str:
        if value not in self.values:
            raise ValueError(f"{value!r} is not one of {self.values}")
        return value

    def load(self, text: str) -> str | None:
        return text if text in self.values else None


@dataclass(frozen=True)
class EnumPart:
    kind: type[Enum]

    def dump(self, value: Any) -> str:
        return str(self.kind(value).value)

    def load(self, text: str) -> Enum | None:
        return next((member for member in self.kind if member.value == text), None)


@dataclass(frozen=True)
class Layout:
    """What the declaration of one action says about its data."""

    tag: str
    kind: type
    names: tuple[str, ...]
    parts: tuple[Part, ...]


_BY_TAG: dict[str, Layout] = {}
_BY_KIND: dict[type, Layout] = {}
T = TypeVar("T")


def _part_for(hint: Any) -> Part:
    if get_origin(hint) is Annotated:
        part = next((a for a in get_args(hint)[1:] if hasattr(a, "load")), None)
        if part is not None:
            return part
    if hint is bool:  # before int: a bool is an int
        return YesNo()
    if hint is int:
        return Int()
    if isinstance(hint, type) and issubclass(hint, Enum):
        return EnumPart(hint)
    raise TypeError(f"a button field needs int, bool, an enum or an annotated part: {hint!r}")


@dataclass_transform(frozen_default=True)
def button(tag: str) -> Callable[[type[T]], type[T]]:
    """Declare a button action: a frozen dataclass whose data starts with `tag`."""

    def declare(cls: type[T]) -> type[T]:
        if not _TAG.fullmatch(tag) or tag in _BY_TAG:
            raise ValueError(f"button tag {tag!r} is malformed or taken")
        kind = dataclass(frozen=True)(cls)
        hints = _hints(kind, include_extras=True)
        names = tuple(field.name for field in fields(kind))
        layout = Layout(tag, kind, names, tuple(_part_for(hints[name]) for name in names))
        _BY_TAG[tag] = _BY_KIND[kind] = layout
        kind.tag = tag  # type: ignore[attr-defined]
        return kind

    return declare


def declared() -> tuple[Layout, ...]:
    """Every declared action, in the order declared."""
    return tuple(_BY_TAG.values())


def encode(action: object) -> str:
    """The callback data for a declared action; ValueError if a value would not read back."""
    layout = _BY_KIND.get(type(action))
    if layout is None:
        raise TypeError(f"not a declared button action: {action!r}")
    parts = (
        part.dump(getattr(action, name))
        for name, part in zip(layout.names, layout.parts, strict=True)
    )
    data = SEPARATOR.join((layout.tag, *parts))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Any | None:
    """The action behind callback data, or None for anything malformed, unknown or too long."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    tag, *texts = data.split(SEPARATOR)
    layout = _BY_TAG.get(tag)
    if layout is None or len(texts) != len(layout.parts):
        return None
    values = [part.load(text) for part, text in zip(layout.parts, texts, strict=True)]
    if any(value is None for value in values):
        return None
    return layout.kind(*values)
