"""The Bot API over raw HTTP: routing, parameter encodings, shapes and error wording."""

from __future__ import annotations

import json

import httpx

from bot.emulator import BotAPIEmulator

from .helpers import Api

KEYBOARD = {"inline_keyboard": [[{"text": "好的", "callback_data": "ok"}]]}


async def test_wrong_token_and_unknown_method(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    response = await http.get(f"{emu.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    response = await http.get(f"{emu.base_url}{emu.token}/noSuchMethod")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found: method not found"


async def test_method_names_are_case_insensitive(api: Api) -> None:
    me = await api.ok("GETME")
    assert me["is_bot"] is True and me["username"] == "tongban_test_bot"
    assert me["id"] == 123456


async def test_every_parameter_encoding(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    emu.user(7)
    url = f"{emu.base_url}{emu.token}"
    markup = json.dumps(KEYBOARD)
    by_query = await http.get(f"{url}/sendMessage", params={"chat_id": "7", "text": "q"})
    by_form = await http.post(
        f"{url}/sendMessage", data={"chat_id": "7", "text": "f", "reply_markup": markup}
    )
    by_json = await http.post(f"{url}/sendmessage", json={"chat_id": 7, "text": "j"})
    by_multipart = await http.post(
        f"{url}/sendVoice",
        data={"chat_id": "7", "caption": "<b>m</b>", "parse_mode": "HTML"},
        files={"voice": ("v.ogg", b"OggS" + bytes(60), "audio/ogg")},
    )
    results = [r.json()["result"] for r in (by_query, by_form, by_json, by_multipart)]
    assert [r["message_id"] for r in results] == [1, 2, 3, 4]
    assert results[1]["reply_markup"] == KEYBOARD
    voice = results[3]["voice"]
    assert voice["file_size"] == 64 and results[3]["caption"] == "m"
    assert results[3]["caption_entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    download = await http.get(
        f"{emu.base_file_url}{emu.token}/"
        + (await http.get(f"{url}/getFile", params={"file_id": voice["file_id"]})).json()[
            "result"
        ]["file_path"]
    )
    assert download.content == b"OggS" + bytes(60)


async def test_message_shape(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(8, "小红", username="xiaohong")
    result = await api.ok("sendMessage", chat_id=8, text="<i>hi</i>", parse_mode="HTML")
    assert result["chat"] == {
        "id": 8, "type": "private", "first_name": "小红", "username": "xiaohong",
    }  # fmt: skip
    assert result["from"]["is_bot"] is True and isinstance(result["date"], int)
    assert result["text"] == "hi" and result["entities"][0]["type"] == "italic"
    assert "reply_markup" not in result


async def test_chat_not_found_until_the_user_starts(emu: BotAPIEmulator, api: Api) -> None:
    assert await api.error("sendMessage", chat_id=1, text="x") == (
        400, "Bad Request: chat not found",
    )  # fmt: skip
    user = emu.user(9, started=False)
    assert await api.description("sendMessage", chat_id=9, text="x") == (
        "Bad Request: chat not found"
    )
    await user.send_text("hello")
    assert (await api.ok("sendMessage", chat_id=9, text="x"))["message_id"] == 2


async def test_text_and_caption_limits(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(10)
    assert await api.description("sendMessage", chat_id=10, text="") == (
        "Bad Request: message text is empty"
    )
    assert (
        await api.description("sendMessage", chat_id=10, text="<b> </b>", parse_mode="HTML")
        == "Bad Request: message text is empty"
    )
    await api.ok("sendMessage", chat_id=10, text="a" * 4096)
    # Counted after parsing: the tags do not count.
    await api.ok("sendMessage", chat_id=10, text="<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    too_long = "Bad Request: message is too long"
    assert await api.description("sendMessage", chat_id=10, text="a" * 4097) == too_long
    # 2049 emoji are 4098 UTF-16 code units.
    assert await api.description("sendMessage", chat_id=10, text="😀" * 2049) == too_long
    _, description = await api.error(
        "sendPhoto", chat_id=10, photo="https://example.com/p.jpg", caption="c" * 1025
    )
    assert description == "Bad Request: message caption is too long"


async def test_bad_html(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(11)
    status, description = await api.error(
        "sendMessage", chat_id=11, text="a<br>b", parse_mode="HTML"
    )
    assert status == 400
    assert description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1'
    )


async def test_button_data(emu: BotAPIEmulator, api: Api) -> None:
    emu.user(12)

    def markup(data: str) -> dict:
        return {"inline_keyboard": [[{"text": "t", "callback_data": data}]]}

    await api.ok("sendMessage", chat_id=12, text="x", reply_markup=markup("好" * 21))  # 63 B
    for data in ("好" * 22, "a" * 65, ""):
        assert (
            await api.description("sendMessage", chat_id=12, text="x", reply_markup=markup(data))
            == "Bad Request: BUTTON_DATA_INVALID"
        )
    no_action = {"inline_keyboard": [[{"text": "t"}]]}
    status, _ = await api.error("sendMessage", chat_id=12, text="x", reply_markup=no_action)
    assert status == 400
    reply_keyboard = {"keyboard": [[{"text": "a"}]], "resize_keyboard": True}
    await api.ok("sendMessage", chat_id=12, text="x", reply_markup=reply_keyboard)


async def test_edit_and_delete(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(13)
    sent = await api.ok("sendMessage", chat_id=13, text="v1", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    not_modified = await api.error(
        "editMessageText", chat_id=13, message_id=mid, text="v1", reply_markup=KEYBOARD
    )
    assert not_modified[1].startswith("Bad Request: message is not modified: specified new")
    edited = await api.ok("editMessageText", chat_id=13, message_id=mid, text="v2")
    assert edited["text"] == "v2" and "edit_date" in edited
    # Like Telegram: an edit without reply_markup drops the keyboard.
    assert "reply_markup" not in edited and user.messages[0].reply_markup is None
    await api.ok("editMessageReplyMarkup", chat_id=13, message_id=mid, reply_markup=KEYBOARD)
    assert user.messages[0].edits == 2 and user.buttons() == [("好的", "ok")]
    assert await api.description("editMessageText", chat_id=13, message_id=99, text="x") == (
        "Bad Request: message to edit not found"
    )
    assert await api.ok("deleteMessage", chat_id=13, message_id=mid) is True
    assert user.messages[0].deleted and user.last_message() is None
    assert await api.description("deleteMessage", chat_id=13, message_id=mid) == (
        "Bad Request: message to delete not found"
    )
    assert await api.description("editMessageText", chat_id=13, message_id=mid, text="x") == (
        "Bad Request: message to edit not found"
    )


async def test_captions_copy_forward(emu: BotAPIEmulator, api: Api) -> None:
    child, parent = emu.user(14), emu.user(15)
    update = await child.send_voice(duration=7)
    voice = update["message"]["voice"]
    copied = await api.ok("copyMessage", chat_id=15, from_chat_id=14, message_id=1, caption="听")
    assert copied == {"message_id": 1}
    assert parent.last_message().kind == "voice"
    assert parent.last_message().file_id == voice["file_id"]
    assert parent.last_message().caption == "听"
    forwarded = await api.ok("forwardMessage", chat_id=15, from_chat_id=14, message_id=1)
    assert forwarded["forward_origin"]["sender_user"]["id"] == 14
    assert forwarded["voice"]["duration"] == 7
    assert await api.description("copyMessage", chat_id=15, from_chat_id=14, message_id=5) == (
        "Bad Request: message to copy not found"
    )
    edited = await api.ok("editMessageCaption", chat_id=15, message_id=1, caption="new")
    assert edited["caption"] == "new"
    reused = await api.ok("sendVoice", chat_id=15, voice=voice["file_id"])
    assert reused["voice"]["file_unique_id"] == voice["file_unique_id"]
    assert await api.description("sendVoice", chat_id=15, voice="nope") == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )


async def test_callback_query_answers(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(16)
    await api.ok("sendMessage", chat_id=16, text="pick", reply_markup=KEYBOARD)
    query_id = await user.tap("ok")
    assert (
        await api.description("answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
        == "Bad Request: MESSAGE_TOO_LONG"
    )
    await api.ok("answerCallbackQuery", callback_query_id=query_id, text="好", show_alert=True)
    assert user.callback_answers == [{"query_id": query_id, "text": "好", "show_alert": True}]
    stale = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert await api.description("answerCallbackQuery", callback_query_id=query_id) == stale
    assert await api.description("answerCallbackQuery", callback_query_id="123") == stale


async def test_commands_menu_chat_and_misc(emu: BotAPIEmulator, api: Api) -> None:
    commands = [{"command": "start", "description": "开始"}]
    assert await api.ok("setMyCommands", commands=commands) is True
    assert await api.ok("setMyCommands", commands=commands, language_code="en") is True
    assert await api.ok("getMyCommands") == commands
    assert await api.ok("deleteMyCommands") is True
    assert await api.ok("getMyCommands") == []
    bad = [{"command": "Bad!", "description": "x"}]
    assert (
        await api.description("setMyCommands", commands=bad) == "Bad Request: BOT_COMMAND_INVALID"
    )
    assert await api.ok("setChatMenuButton", menu_button={"type": "commands"}) is True
    assert await api.ok("getChatMenuButton") == {"type": "commands"}
    emu.user(17, "阿明")
    assert (await api.ok("getChat", chat_id=17))["first_name"] == "阿明"
    assert await api.ok("sendChatAction", chat_id=17, action="typing") is True
    assert await api.ok("logOut") is True and await api.ok("close") is True


async def test_taking_a_keyboard_off_answers_as_telegram(api: Api, emu: BotAPIEmulator) -> None:
    """editMessageReplyMarkup without markup: what the bot's crash clean-up relies on."""
    user = emu.user(14)
    await user.send_text("hi")  # the child's own message, id 1
    armed = await api.ok("sendMessage", chat_id=14, text="q", reply_markup=KEYBOARD)
    stripped = await api.ok("editMessageReplyMarkup", chat_id=14, message_id=armed["message_id"])
    assert "reply_markup" not in stripped and user.messages[0].reply_markup is None
    assert (await api.description("editMessageReplyMarkup", chat_id=14, message_id=2)).startswith(
        "Bad Request: message is not modified"
    )
    assert await api.description("editMessageReplyMarkup", chat_id=14, message_id=1) == (
        "Bad Request: message can't be edited"
    )
    assert await api.description("editMessageReplyMarkup", chat_id=14, message_id=9) == (
        "Bad Request: message to edit not found"
    )
