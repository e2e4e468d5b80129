"""Translation between Telegram objects and the core's plain values."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

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


def keyboard_from_body(rows: list[list[list[str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def split_command(text: str) -> tuple[str, str]:
    """`/invite@tongban_bot child ming 10-12` -> ("invite", "child ming 10-12"); the rest is
    kept as typed (line breaks too) for the core to split as the command needs."""
    head, *rest = text.strip().split(maxsplit=1)
    name = head.lstrip("/").split("@", 1)[0].lower()
    return name, rest[0] if rest else ""


TEXT_LIMIT = 4096


def _cut_outside_entity(line: str, limit: int) -> int:
    """Where to cut a line hard without splitting an escape such as &amp; in two."""
    amp = line.rfind("&", max(0, limit - 10), limit)
    if amp != -1 and ";" not in line[amp:limit]:
        return amp
    return limit


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut a long message at line breaks into pieces Telegram accepts (4096 characters).

    Templates keep each HTML tag within one line, so a cut between lines never splits a tag; a
    single line longer than the limit is cut hard as a last resort.
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = _cut_outside_entity(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces
