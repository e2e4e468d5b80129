"""What the core hands back to a channel: plain messages and buttons, no Telegram types.

`edit` replaces the message whose button was pressed, or `edit_message_id` when set (a
check-in lives in one message edited in place); `replies` go to the same chat; `toast` is the
small notice a button press shows. Anything for other people goes through the outbox instead,
so it survives a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The message types live with the outgoing envelope; they are named here too because every
# service builds its answers from them.
from bot.domain.outgoing import MEDIA_KINDS as MEDIA_KINDS
from bot.domain.outgoing import Button as Button
from bot.domain.outgoing import Keyboard as Keyboard
from bot.domain.outgoing import Media as Media
from bot.domain.outgoing import Message as Message


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
    due_now: bool = False
    """Work the repeating tick collects was asked for now (a coordinator's check-in now):
    the channel runs the tick at once instead of in up to `tick_seconds`."""
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
