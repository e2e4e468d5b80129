"""Telegram JSON shapes for users, chats and messages, built from compact records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import SentMessage

if TYPE_CHECKING:
    from .user import EmulatedUser


def bot_user(bot_id: int, username: str) -> dict[str, Any]:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Tongban Test",
        "username": username,
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def user_dict(user: EmulatedUser) -> dict[str, Any]:
    body: dict[str, Any] = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    if user.username:
        body["username"] = user.username
    if user.language_code:
        body["language_code"] = user.language_code
    return body


def chat_dict(user: EmulatedUser) -> dict[str, Any]:
    body: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
    if user.username:
        body["username"] = user.username
    return body


def chat_full_info(user: EmulatedUser) -> dict[str, Any]:
    """getChat's ChatFullInfo, with the fields PTB requires."""
    return {
        **chat_dict(user),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def message_dict(msg: SentMessage, user: EmulatedUser, bot: dict[str, Any]) -> dict[str, Any]:
    """The Message object as getUpdates, send* and edit* return it."""
    body: dict[str, Any] = {
        "message_id": msg.message_id,
        "from": bot if msg.from_bot else user_dict(user),
        "chat": chat_dict(user),
        "date": msg.date,
    }
    if msg.edit_date is not None:
        body["edit_date"] = msg.edit_date
    if msg.kind == "text":
        body["text"] = msg.text or ""
        if msg.entities:
            body["entities"] = msg.entities
    else:
        body[msg.kind] = msg.media
        if msg.caption is not None:
            body["caption"] = msg.caption
            if msg.entities:
                body["caption_entities"] = msg.entities
    if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
        body["reply_markup"] = msg.reply_markup
    if msg.extra:
        body.update(msg.extra)
    return body
