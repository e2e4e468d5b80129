"""What each person's chat shows, and the readable difference one step made to it.

Both ways of replaying (through the core with a fake channel, or end to end through the
emulator) report chats in these terms, so one expected transcript holds for both: new
messages, edits and deletions are found by comparing what a chat shows before and after a
step, in message order, so neither the sending order across chats nor the number of edits
within a step shows. Random or shifting ids are replaced by stable names (`Aliases`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from bot.domain import actions

Keyboard = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Shown:
    """One message in a private chat as it is now: the bot's (HTML as sent) or the person's."""

    message_id: int
    from_bot: bool
    text: str = ""
    buttons: Keyboard = ()
    media: str = ""  # "<kind> <file id>" for a message that carries a file: "voice AwAC..."
    deleted: bool = False


@dataclass
class ChatView:
    messages: dict[int, Shown] = field(default_factory=dict)
    toasts: list[str] = field(default_factory=list)


class Aliases:
    """Stable names for what varies between runs: invite codes, file ids, database ids."""

    _LINK = re.compile(r"https://t\.me/\w+\?start=([A-Za-z0-9_-]+)")

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}

    def name(self, kind: str, raw: str) -> str:
        key = (kind, raw)
        if key not in self._names:
            count = sum(1 for k, _ in self._names if k == kind)
            self._names[key] = f"{kind}{count + 1}"
        return self._names[key]

    def text(self, html: str) -> str:
        return self._LINK.sub(lambda m: f"https://t.me/BOT?start={self.name('code', m[1])}", html)

    def data(self, data: str) -> str:
        """Callback data with each id it carries named, e.g. c:17:mood:4 -> c:checkin1:mood:4."""
        action = actions.decode(data)
        tokens = data.split(":")
        if action is None or not dataclasses.is_dataclass(action):
            return data
        fields = dataclasses.fields(action)
        if len(fields) != len(tokens) - 1:
            return data
        for index, spec in enumerate(fields, start=1):
            if spec.name.endswith("_id") and tokens[index] not in ("0", "-"):
                tokens[index] = self.name(spec.name.removesuffix("_id"), tokens[index])
        return ":".join(tokens)


def _buttons(keyboard: Keyboard, aliases: Aliases) -> list[str]:
    return [
        "  ".join(f"[{label} → {aliases.data(data)}]" for label, data in row) for row in keyboard
    ]


class Numbering:
    """Numbers each person's bot messages in the order they are first shown, so a hidden step
    (or a change in how many messages enrolment sends) does not renumber the later ones."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, int], int] = {}
        self._count: dict[str, int] = {}

    def new(self, who: str, message_id: int) -> str:
        self._count[who] = self._count.get(who, 0) + 1
        self._numbers[(who, message_id)] = self._count[who]
        return f"#{self._count[who]}"

    def of(self, who: str, message_id: int) -> str:
        number = self._numbers.get((who, message_id))
        return f"#{number}" if number else "earlier message"


def _content(shown: Shown, aliases: Aliases) -> list[str]:
    lines = []
    if shown.media:
        kind, _, file_id = shown.media.partition(" ")
        lines.append(f"({kind} {aliases.name('file', file_id)})")
    lines += [line.rstrip() for line in aliases.text(shown.text).splitlines()]
    return [f"    {line}" if line else "" for line in lines + _buttons(shown.buttons, aliases)]


def changes(
    who: str,
    before: ChatView,
    after: ChatView,
    aliases: Aliases,
    numbering: Numbering,
    own_steps: dict[int, int],
) -> list[str]:
    """What changed in one person's chat, as transcript lines; `own_steps` maps the person's
    own message ids to the step that sent them."""
    lines = [f"  {who} sees a notice: {t}" for t in after.toasts[len(before.toasts) :] if t]
    for message_id in sorted(after.messages):
        now, was = after.messages[message_id], before.messages.get(message_id)
        if not now.from_bot:
            if now.deleted and not (was and was.deleted):
                step = own_steps.get(message_id)
                lines.append(f"  {who}'s own message of step {step} is deleted")
            continue
        if was is None and now.deleted:
            continue  # sent and gone within the step
        if was is None:
            lines.append(f"  {who} gets {numbering.new(who, message_id)}:")
            lines += _content(now, aliases)
        elif now.deleted and not was.deleted:
            lines.append(f"  {who}'s {numbering.of(who, message_id)} is deleted")
        elif not now.deleted and (now.text, now.buttons) != (was.text, was.buttons):
            if now.text == was.text:
                lines.append(f"  {who}'s {numbering.of(who, message_id)} loses its buttons")
                if now.buttons:
                    lines[-1] = f"  {who}'s {numbering.of(who, message_id)} gets new buttons:"
                    lines += _buttons(now.buttons, aliases)
                continue
            lines.append(f"  {who}'s {numbering.of(who, message_id)} now reads:")
            lines += _content(now, aliases)
    return lines


def register_hidden(who: str, before: ChatView, after: ChatView, aliases: Aliases) -> None:
    """A hidden step still names what it showed, so the names of later steps stay the same."""
    changes(who, before, after, aliases, Numbering(), {})
