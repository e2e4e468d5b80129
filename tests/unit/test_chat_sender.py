"""The one sender: how each kind of outgoing item becomes Bot API calls, and what a refusal
means, without a network (a fake bot records the calls)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain.outgoing import Button, Media, Message, Outgoing, Verb
from bot.telegram.sender import ChatSender, Refusal, judge

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
BUTTONS = ((Button("OK", "ok"),),)


class FakeBot:
    """Records each call as (method, chat or query, text or file, reply_markup, priority)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.next_id = 100

    def _sent(self, method: str, chat: Any, content: Any, kwargs: dict[str, Any]):
        markup = kwargs.get("reply_markup")
        rows = [[b.callback_data for b in row] for row in markup.inline_keyboard] if markup else []
        self.calls.append((method, chat, content, rows, kwargs.get("rate_limit_args")))
        self.next_id += 1
        return SimpleNamespace(message_id=self.next_id)

    async def send_message(self, chat_id, text, **kwargs):
        return self._sent("send_message", chat_id, text, kwargs)

    async def send_voice(self, chat_id, file_id, **kwargs):
        return self._sent("send_voice", chat_id, (file_id, kwargs.get("caption")), kwargs)

    async def send_photo(self, chat_id, file_id, **kwargs):
        return self._sent("send_photo", chat_id, (file_id, kwargs.get("caption")), kwargs)

    async def send_video_note(self, chat_id, file_id, **kwargs):
        return self._sent("send_video_note", chat_id, (file_id, None), kwargs)

    async def edit_message_text(self, text, **kwargs):
        return self._sent("edit_message_text", kwargs["chat_id"], text, kwargs)

    async def delete_message(self, chat_id, message_id, **kwargs):
        return self._sent("delete_message", chat_id, message_id, kwargs)

    async def edit_message_reply_markup(self, chat_id, message_id, **kwargs):
        return self._sent("edit_message_reply_markup", chat_id, message_id, kwargs)

    async def answer_callback_query(self, query_id, text, **kwargs):
        return self._sent("answer_callback_query", query_id, text, kwargs)


def _item(**fields: Any) -> Outgoing:
    values: dict[str, Any] = {"person_id": 1, "chat_id": 1001, "kind": "alert", "send_after": NOW}
    values.update(fields)
    return Outgoing(**values)


async def test_every_verb_becomes_its_own_call_with_the_priority():
    bot = FakeBot()
    sender = ChatSender(bot)  # type: ignore[arg-type]
    assert await sender.carry_out(_item(message=Message("hi", BUTTONS), priority=2)) == 101
    edit = _item(message=Message("closed"), verb=Verb.EDIT, target_message_id=7)
    assert await sender.carry_out(edit) == 7
    assert await sender.carry_out(_item(verb=Verb.DELETE, target_message_id=8)) == 8
    assert await sender.carry_out(_item(verb=Verb.STRIP_BUTTONS, target_message_id=9)) == 9
    assert bot.calls == [
        ("send_message", 1001, "hi", [["ok"]], 2),
        ("edit_message_text", 1001, "closed", [], 0),
        ("delete_message", 1001, 8, [], 0),
        ("edit_message_reply_markup", 1001, 9, [], 0),
    ]


async def test_a_long_text_goes_in_pieces_with_the_buttons_on_the_last():
    bot = FakeBot()
    text = "\n".join(["😀" * 1000] * 5)  # 2,000 UTF-16 units a line: two lines a piece
    await ChatSender(bot).send(1001, Message(text, BUTTONS))  # type: ignore[arg-type]
    assert [len(call[2].split("\n")) for call in bot.calls] == [2, 2, 1]
    assert [call[3] for call in bot.calls] == [[], [], [["ok"]]]


async def test_media_carries_its_text_as_a_caption_only_where_it_fits():
    bot = FakeBot()
    sender = ChatSender(bot)  # type: ignore[arg-type]
    await sender.send(1001, Message("from Mum", BUTTONS, Media("voice", "V1")))
    await sender.send(1001, Message("x" * 1025, BUTTONS, Media("photo", "P1")))
    await sender.send(1001, Message("from Mum", BUTTONS, Media("video_note", "N1")))
    assert bot.calls == [
        ("send_voice", 1001, ("V1", "from Mum"), [["ok"]], 0),
        ("send_message", 1001, "x" * 1025, [], 0),
        ("send_photo", 1001, ("P1", None), [["ok"]], 0),
        ("send_message", 1001, "from Mum", [], 0),
        ("send_video_note", 1001, ("N1", None), [["ok"]], 0),
    ]


async def test_a_toast_is_clipped_to_what_telegram_shows():
    bot = FakeBot()
    await ChatSender(bot).answer_button("q1", "😀" * 150)  # type: ignore[arg-type]
    assert bot.calls[0][2] == "😀" * 100  # 200 UTF-16 units


@pytest.mark.parametrize(
    ("error", "verb", "refusal"),
    [
        (RetryAfter(7), Verb.SEND, Refusal.RATE_LIMITED),
        (Forbidden("Forbidden: bot was blocked by the user"), Verb.SEND, Refusal.BLOCKED),
        (BadRequest("Bad Request: chat not found"), Verb.SEND, Refusal.BLOCKED),
        (BadRequest("Message is not modified: same content"), Verb.EDIT, Refusal.NOTHING_TO_DO),
        (BadRequest("Message to delete not found"), Verb.DELETE, Refusal.NOTHING_TO_DO),
        (
            BadRequest("Query is too old and response timeout expired"),
            Verb.SEND,
            Refusal.NOTHING_TO_DO,
        ),
        (BadRequest("Message can't be edited"), Verb.STRIP_BUTTONS, Refusal.NOTHING_TO_DO),
        (BadRequest("Message can't be edited"), Verb.EDIT, Refusal.REJECTED),
        (BadRequest("Can't parse entities: unsupported start tag"), Verb.SEND, Refusal.REJECTED),
        (TimedOut(), Verb.SEND, Refusal.PASSING),
        (NetworkError("Bad Gateway"), Verb.SEND, Refusal.PASSING),
    ],
)
def test_one_list_says_what_each_refusal_means(error, verb, refusal):
    verdict = judge(error, verb)
    assert verdict.refusal == refusal
    if refusal == Refusal.RATE_LIMITED:
        assert verdict.retry_after == 7
