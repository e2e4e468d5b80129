"""What the core hands back to a channel: plain messages and buttons, no Telegram types.

`edit` replaces the message whose button was pressed, or `edit_message_id` when set (a
check-in lives in one message edited in place); `replies` go to the same chat; `toast` is the
small notice a button press shows. Anything for other people goes through the outbox instead,
so it survives a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Media:
    """A voice note, audio file, photo or video note passed along by the id the channel gave
    it (a file goes back only by the method of its own kind)."""

    kind: str  # one of MEDIA_KINDS
    file_id: str


MEDIA_KINDS = ("voice", "audio", "photo", "video_note")


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

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "text": self.text,
            "buttons": [[[b.label, b.data] for b in row] for row in self.buttons],
        }
        if self.media is not None:
            body["media"] = {"kind": self.media.kind, "file_id": self.media.file_id}
        if self.fades_to is not None:
            body["fades_to"] = self.fades_to
        return body

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Message:
        rows = tuple(
            tuple(Button(label, data) for label, data in row) for row in body.get("buttons", [])
        )
        media = Media(**body["media"]) if body.get("media") else None
        return cls(text=body["text"], buttons=rows, media=media, fades_to=body.get("fades_to"))


@dataclass
class Outcome:
    replies: list[Message] = field(default_factory=list)
    edit: Message | None = None
    toast: str | None = None
    edit_message_id: int | None = None  # edit this message instead of the pressed one
    delete_incoming: bool = False
    """Remove the person's own message (private words on a shared phone): a retried outbox
    step, so one failed delete never leaves the words behind."""
    durable_for: int | None = None
    """The person whose `replies` must arrive whatever Telegram does (the hotlines after a
    crisis): they go through the outbox, urgently and retried, not straight back."""
    outbox_changed: bool = False
    refused: bool = False
    """A button that is stale, forged or someone else's: the router words the notice, in the
    reader's language and the same for every kind of refusal, so a prober learns nothing."""

    @classmethod
    def reply(cls, text: str, buttons: Keyboard = ()) -> Outcome:
        return cls(replies=[Message(text, buttons)])

    @classmethod
    def refusal(cls) -> Outcome:
        return cls(refused=True)


@dataclass(frozen=True)
class Sender:
    """Who is talking to the bot, as the channel saw them."""

    user_id: int
    chat_id: int
    first_name: str = ""
    language_code: str | None = None
    message_id: int | None = None  # the message this input came in, if it was one
    update_id: int | None = None  # the channel's id of this input: the same when redelivered
