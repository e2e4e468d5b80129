"""EmulatedUser: what users send, tapping buttons, and reading/waiting on the chat."""

from __future__ import annotations

import asyncio

import pytest

from bot.emulator import BotAPIEmulator

from .helpers import Api

KEYBOARD = {
    "inline_keyboard": [
        [{"text": "✅ 我很好", "callback_data": "mood:good"}],
        [{"text": "帮助", "url": "https://example.com/help"}],
    ]
}


async def test_users_are_idempotent(emu: BotAPIEmulator) -> None:
    user = emu.user(30, "小明")
    assert emu.user(30) is user and user.first_name == "小明"


async def test_media_payloads(emu: BotAPIEmulator) -> None:
    user = emu.user(31)
    assert (await user.send_command("start", "CODE"))["message"]["text"] == "/start CODE"
    sticker = (await user.send_sticker())["message"]["sticker"]
    assert sticker["type"] == "regular" and sticker["file_id"]
    assert (await user.send_voice(duration=9))["message"]["voice"]["duration"] == 9
    photo = (await user.send_photo(caption="看"))["message"]
    assert len(photo["photo"]) == 3 and photo["caption"] == "看"
    assert len({size["file_id"] for size in photo["photo"]}) == 3
    assert (await user.send_video_note())["message"]["video_note"]["length"] == 240
    document = (await user.send_document())["message"]["document"]
    assert document["file_name"] == "report.pdf" and document["mime_type"] == "application/pdf"
    location = (await user.send_location())["message"]["location"]
    assert location == {"latitude": 31.2304, "longitude": 121.4737}
    ids = [u["message"]["message_id"] for u in emu.state.updates.peek(100)]
    assert ids == list(range(1, 8))


async def test_tap_and_tap_button(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(32)
    with pytest.raises(AssertionError, match="no bot message with an inline keyboard"):
        await user.tap("x")
    first = await api.ok("sendMessage", chat_id=32, text="今天怎么样?", reply_markup=KEYBOARD)
    await api.ok("sendMessage", chat_id=32, text="plain")
    assert user.buttons() == [("✅ 我很好", "mood:good"), ("帮助", None)]
    query_id = await user.tap_button("我很好")
    forged = await user.tap("forged:data", message_id=first["message_id"])
    updates = await api.ok("getUpdates")
    queries = [u["callback_query"] for u in updates]
    assert [q["id"] for q in queries] == [query_id, forged]
    assert queries[0]["data"] == "mood:good" and queries[1]["data"] == "forged:data"
    assert queries[0]["message"]["text"] == "今天怎么样?"
    assert queries[0]["from"]["id"] == 32 and queries[0]["chat_instance"]
    with pytest.raises(AssertionError, match="帮助"):
        await user.tap_button("不存在")


async def test_callback_query_carries_the_current_message(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(33)
    sent = await api.ok("sendMessage", chat_id=33, text="v1", reply_markup=KEYBOARD)
    await api.ok(
        "editMessageText", chat_id=33, message_id=sent["message_id"], text="v2",
        reply_markup=KEYBOARD,
    )  # fmt: skip
    await user.tap("mood:good")
    (update,) = await api.ok("getUpdates")
    assert update["callback_query"]["message"]["text"] == "v2"
    assert update["callback_query"]["message"]["edit_date"]


async def test_wait_for_message_and_wait_until(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(34)
    await api.ok("sendMessage", chat_id=34, text="old")
    waiter = asyncio.create_task(user.wait_for_message(lambda m: "new" in (m.text or "")))
    await asyncio.sleep(0)
    await api.ok("sendMessage", chat_id=34, text="other")
    await api.ok("sendMessage", chat_id=34, text="brand new")
    assert (await waiter).text == "brand new"
    assert (await user.wait_until(lambda m: m.text == "old")).text == "old"
    edit_waiter = asyncio.create_task(user.wait_for_message())
    await asyncio.sleep(0)
    await api.ok("editMessageText", chat_id=34, message_id=1, text="old, edited")
    edited = await edit_waiter
    assert edited.message_id == 1 and edited.edits == 1
    assert [m.text for m in user.messages] == ["old, edited", "other", "brand new"]
    deleted = asyncio.create_task(user.wait_until(lambda m: m.deleted))
    await asyncio.sleep(0)
    await api.ok("deleteMessage", chat_id=34, message_id=2)
    assert (await deleted).message_id == 2
    with pytest.raises(AssertionError, match=r"no matching bot message within 0\.05s"):
        await user.wait_for_message(timeout=0.05)


async def test_blocked_user_gets_403(emu: BotAPIEmulator, api: Api) -> None:
    user = emu.user(35)
    await api.ok("sendMessage", chat_id=35, text="hi")
    user.block()
    blocked = (403, "Forbidden: bot was blocked by the user")
    assert await api.error("sendMessage", chat_id=35, text="x") == blocked
    assert await api.error("sendPhoto", chat_id=35, photo="https://e.x/p.jpg") == blocked
    assert await api.error("editMessageText", chat_id=35, message_id=1, text="y") == blocked
    user.unblock()
    await api.ok("sendMessage", chat_id=35, text="back")
