"""Text length as Telegram counts it: in UTF-16 code units (an emoji beyond U+FFFF is two).

Pure, so the core can keep its own texts within Telegram's limits without importing the channel.
"""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Length as Telegram measures it: a character beyond U+FFFF counts twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def clip_utf16(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-16 units, never half an emoji."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text
