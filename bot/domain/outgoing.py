"""What the core asks the channel to show in a chat, as plain values, and the envelope the
outbox keeps it in until Telegram confirms it.

`Outgoing` is the written contract between the services that decide and the sender that
carries out: who gets it, what it does in their chat (send, edit, delete, take the buttons
off), how urgent it is, the key that stops a repeated decision from sending twice, and what
it belongs to (a check-in, a relayed message). Only the outbox repository turns it into
stored JSON and back; services build envelopes, never dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class Button:
    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]
MEDIA_KINDS = ("voice", "audio", "photo", "video_note")


@dataclass(frozen=True)
class Media:
    """A voice note, audio file, photo or video note passed along by the id the channel gave
    it (a file goes back only by the method of its own kind)."""

    kind: str  # one of MEDIA_KINDS
    file_id: str


@dataclass(frozen=True)
class Message:
    """An HTML message (already escaped by the templates) with optional inline buttons.

    With `media`, the text travels with it (as its caption where the channel allows one).
    """

    text: str
    buttons: Keyboard = ()
    media: Media | None = None
    fades_to: str | None = None
    """What the message is edited to after a while (a crisis reply on a shared phone)."""


class Verb(StrEnum):
    """What an outgoing item does in the recipient's chat."""

    SEND = "send"  # a new message
    EDIT = "edit"  # replace the text and buttons of `target_message_id`
    DELETE = "delete"  # remove `target_message_id` (words on a shared phone, an old copy)
    STRIP_BUTTONS = "strip_buttons"  # take the keyboard off `target_message_id`, nothing else


WITH_MESSAGE = (Verb.SEND, Verb.EDIT)


@dataclass(frozen=True)
class Outgoing:
    """One decision to show something to one person, kept until it is sent."""

    person_id: int
    chat_id: int
    kind: str  # what it is for, in logs and tests: "checkin", "alert", "retire_copy", ...
    send_after: datetime
    message: Message | None = None
    verb: Verb = Verb.SEND
    target_message_id: int | None = None
    priority: int = 0  # higher goes first, in the outbox and at the rate limiter
    dedupe_key: str | None = None
    checkin_id: int | None = None  # a check-in's message moves to whatever this sends
    relay_id: int | None = None  # a relayed message learns whether it arrived (a column too)

    def __post_init__(self) -> None:
        if (self.message is not None) != (self.verb in WITH_MESSAGE):
            raise ValueError(f"{self.verb} {'needs' if self.message is None else 'takes no'} text")
        if (self.target_message_id is not None) == (self.verb == Verb.SEND):
            raise ValueError(f"{self.verb}: a target message only for edits and deletions")

    @property
    def fades_later(self) -> bool:
        """A new message that is edited to a neutral form after a while."""
        return self.verb == Verb.SEND and self.message is not None and bool(self.message.fades_to)


@dataclass(frozen=True)
class Delivery:
    """A claimed outbox item in the sender's hands, with the bookkeeping of earlier tries."""

    outbox_id: int
    outgoing: Outgoing
    attempts: int
    # Set when an earlier attempt was sent and its id recorded, but the process died before
    # the rest of the bookkeeping: the message must not go out again, only be recorded.
    message_id: int | None = None
    floor_message_id: int | None = None

    @property
    def kind(self) -> str:
        return self.outgoing.kind

    @property
    def chat_id(self) -> int:
        return self.outgoing.chat_id

    @property
    def priority(self) -> int:
        return self.outgoing.priority
