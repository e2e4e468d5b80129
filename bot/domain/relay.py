"""What a relayed family message can be, and the child's quick answers and mute choices.

A parent far away writes, records or films; the bot carries it to the child at an allowed hour.
The child answers in words or with one tap: a small answer is still an answer, and for a shy
child it is often the only one.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class RelayKind(StrEnum):
    TEXT = "text"
    VOICE = "voice"
    PHOTO = "photo"
    VIDEO_NOTE = "video_note"
    QUICK = "quick"  # one of QUICK_REPLIES, tapped by the child


class RelayStatus(StrEnum):
    CHOOSING = "choosing"  # a parent with several children has not yet said for whom
    QUEUED = "queued"  # waiting for the recipient's allowed time (or the end of a mute)
    SENDING = "sending"  # handed to the outbox
    DELIVERED = "delivered"
    HELD = "held"  # paused for safeguarding or consent withdrawn: kept, not delivered
    FAILED = "failed"  # the recipient cannot be reached, or Telegram refused it for good
    SPLIT = "split"  # a parent's "all children" draft, copied once per child


# A parent may send these; anything else (stickers, files, locations) gets a kind explanation.
PARENT_KINDS = frozenset({RelayKind.TEXT, RelayKind.VOICE, RelayKind.PHOTO, RelayKind.VIDEO_NOTE})
# A child answers in words, a voice note or a tap.
CHILD_KINDS = frozenset({RelayKind.TEXT, RelayKind.VOICE, RelayKind.QUICK})
QUICK_REPLIES = ("got", "miss", "call")
MUTE_DAYS = (1, 3, 7)
# After "Reply", the child's next words go to the parent for this long; later words are again
# check-in words or a chat with the bot.
REPLY_WAIT = timedelta(hours=2)
# A message's words, voice or photo are kept this long after it was sent, then only who, when
# and what kind remain (children's data is kept no longer than its purpose needs: PIPL art. 19,
# CAC provisions on children's personal information art. 20).
RETENTION = timedelta(days=30)
# Statuses after which a message's content has no further use.
SETTLED = frozenset(
    {
        RelayStatus.DELIVERED,
        RelayStatus.FAILED,
        RelayStatus.HELD,
        RelayStatus.SPLIT,
        RelayStatus.CHOOSING,
    }
)
# Telegram's own limit on a message a person sends; with the bot's header a letter this long
# goes on in a second message rather than being cut.
MAX_TEXT = 4096


def clip(text: str | None) -> str | None:
    """A message's words within MAX_TEXT (a longer letter keeps its first MAX_TEXT characters)."""
    return text[:MAX_TEXT] if text else text
