"""What staff see of a child's own check-in words: how many, how long, and for how long.

The child is told the volunteer reads them, so they must reach the volunteer; but they are the
child's most private data, so only a few recent ones are shown, each cut to a readable length,
and they are kept no longer than their purpose needs (PIPL art. 19, CAC provisions art. 20).
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.relay import RETENTION
from bot.domain.text_units import clip_utf16, utf16_len

# The newest this many in a volunteer's /child, and in an alert card about the child.
WORDS_SHOWN = 5
ALERT_WORDS_SHOWN = 3
# Each piece of words is cut to this many UTF-16 units (Telegram's count), ellipsis included.
WORDS_CLIP = 300
ELLIPSIS = "…"
# Check-in words and voice notes are cleared this long after the child gave them, like the
# content of relayed family messages; who answered, when and the scores remain.
WORDS_RETENTION = RETENTION


def shorten(text: str, limit: int = WORDS_CLIP) -> str:
    """`text` within `limit` UTF-16 units, cut with an ellipsis when it is longer."""
    if utf16_len(text) <= limit:
        return text
    return clip_utf16(text, limit - utf16_len(ELLIPSIS)).rstrip() + ELLIPSIS


def kept_since(now: datetime) -> datetime:
    """Words given before this moment have been, or are about to be, forgotten: never shown."""
    return now - WORDS_RETENTION
