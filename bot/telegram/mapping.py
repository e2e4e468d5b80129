"""Translation between Telegram objects and the core's plain values."""

from __future__ import annotations

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.text_units import clip_utf16 as clip_utf16
from bot.domain.text_units import utf16_len
from bot.services.outcome import Keyboard, Sender


def sender_of(update: Update) -> Sender | None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    return Sender(
        user_id=user.id,
        chat_id=chat.id,
        first_name=user.first_name or "",
        language_code=user.language_code,
        message_id=update.message.message_id if update.message else None,
        update_id=update.update_id,
    )


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )


def split_command(text: str) -> tuple[str, str]:
    """`/invite@tongban_bot child ming 10-12` -> ("invite", "child ming 10-12"); the rest is
    kept as typed (line breaks too) for the core to split as the command needs."""
    head, *rest = text.strip().split(maxsplit=1)
    name = head.lstrip("/").split("@", 1)[0].lower()
    return name, rest[0] if rest else ""


# Telegram's limits, counted as Telegram counts them: in UTF-16 code units (an emoji outside
# the Basic Multilingual Plane is two), after HTML entities are parsed.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
TOAST_LIMIT = 200
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*>")
_ESCAPE = re.compile(r"&#?\w{1,10};")


def visible_len(html_text: str) -> int:
    """UTF-16 length of what Telegram shows of an HTML message (tags gone, escapes parsed)."""
    return utf16_len(html.unescape(_TAG.sub("", html_text)))


def _token_at(line: str, start: int) -> tuple[str, str | None, bool]:
    """The indivisible piece at `start`: a whole tag, a whole &escape; or one character.

    Returns (token, tag name or None, whether the tag closes).
    """
    if line[start] == "<":
        tag = _TAG.match(line, start)
        if tag:
            return tag.group(0), tag.group(2).lower(), bool(tag.group(1))
    if line[start] == "&":
        escape = _ESCAPE.match(line, start)
        if escape:
            return escape.group(0), None, False
    return line[start], None, False


def _hard_cut(line: str, limit: int) -> tuple[str, str]:
    """Cut one over-long line into (piece within `limit`, rest), outside any tag or escape.

    Tags still open at the cut are closed at the end of the piece and opened again at the
    start of the rest, so each piece is valid HTML on its own.
    """
    opened: list[tuple[str, str]] = []  # (opening tag as written, name)
    units = 0
    index = 0
    while index < len(line):
        token, name, closes = _token_at(line, index)
        after = list(opened)
        if name is not None and closes:
            if after and after[-1][1] == name:
                after.pop()
        elif name is not None:
            after.append((token, name))
        after_closing = sum(len(n) + 3 for _, n in after)
        if index and units + utf16_len(token) + after_closing > limit:
            break
        units += utf16_len(token)
        opened = after
        index += len(token)
    close = "".join(f"</{name}>" for _, name in reversed(opened))
    reopen = "".join(tag for tag, _ in opened)
    return line[:index] + close, reopen + line[index:]


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut a long message into pieces Telegram accepts (4096 UTF-16 units each).

    Lengths are of the raw HTML, an upper bound of what Telegram counts after parsing it.
    Cuts fall at line breaks (templates keep each tag within one line); a single line longer
    than the limit is cut hard as a last resort, never inside a tag, an escape or an emoji.
    """
    pieces: list[str] = []
    current, current_len = "", 0
    for line in text.split("\n"):
        line_len = utf16_len(line)
        while line_len > limit:
            if current:
                pieces.append(current)
                current, current_len = "", 0
            head, line = _hard_cut(line, limit)
            pieces.append(head)
            line_len = utf16_len(line)
        if current and current_len + 1 + line_len > limit:
            pieces.append(current)
            current, current_len = line, line_len
        elif current:
            current, current_len = f"{current}\n{line}", current_len + 1 + line_len
        else:
            current, current_len = line, line_len
    if current or not pieces:
        pieces.append(current)
    # Telegram refuses an empty message: a piece of nothing but blank lines goes nowhere.
    return [piece for piece in pieces if piece.strip()] or pieces[-1:]
