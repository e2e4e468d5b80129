"""The /_emulator/ control API for other processes, and the CLI entry point."""

from __future__ import annotations

import httpx
import pytest

from bot.emulator import BotAPIEmulator
from bot.emulator.__main__ import build_parser, main

from .helpers import Api


async def test_control_api_round_trip(
    emu: BotAPIEmulator, api: Api, http: httpx.AsyncClient
) -> None:
    control = emu.control_url
    created = await http.post(f"{control}/users/60", json={"first_name": "小芳"})
    assert created.json() == {"ok": True, "id": 60, "started": True}
    sent = await http.post(f"{control}/users/60/text", json={"text": "/start abc"})
    assert sent.json()["update"]["message"]["from"]["first_name"] == "小芳"
    (update,) = await api.ok("getUpdates")
    assert update["message"]["text"] == "/start abc"

    keyboard = {"inline_keyboard": [[{"text": "打卡", "callback_data": "checkin"}]]}
    await api.ok("sendMessage", chat_id=60, text="<b>hi</b>", parse_mode="HTML",
                 reply_markup=keyboard)  # fmt: skip
    by_data = await http.post(f"{control}/users/60/callback", json={"data": "forged"})
    by_text = await http.post(f"{control}/users/60/callback", json={"button": "打卡"})
    missing = await http.post(f"{control}/users/60/callback", json={"button": "nope"})
    assert by_data.json()["ok"] and by_text.json()["ok"] and missing.status_code == 404
    callbacks = await api.ok("getUpdates", offset=update["update_id"] + 1)
    assert [u["callback_query"]["data"] for u in callbacks] == ["forged", "checkin"]
    await api.ok("answerCallbackQuery", callback_query_id=by_text.json()["callback_query_id"])
    answers = (await http.get(f"{control}/chats/60/callback_answers")).json()
    assert len(answers["callback_answers"]) == 1

    messages = (await http.get(f"{control}/chats/60/messages")).json()["messages"]
    assert messages[0]["text"] == "hi" and messages[0]["source"] == "<b>hi</b>"
    assert messages[0]["reply_markup"] == keyboard
    assert (await http.get(f"{control}/chats/61/messages")).status_code == 404

    assert (await http.post(f"{control}/users/60/block")).json() == {"ok": True}
    assert (await api.error("sendMessage", chat_id=60, text="x"))[0] == 403
    await http.post(f"{control}/users/60/unblock")
    await api.ok("sendMessage", chat_id=60, text="x")

    stats = (await http.get(f"{control}/stats")).json()
    assert stats["methods"]["sendMessage"] == 3 and stats["errors"] == {"403": 1}
    assert stats["total_sends"] == 2 and stats["chats"] == 1
    await http.post(f"{control}/stats/reset")
    assert (await http.get(f"{control}/stats")).json()["total_sends"] == 0


def test_cli_parses_its_options() -> None:
    args = build_parser().parse_args(
        ["--host", "127.0.0.1", "--port", "0", "--token", "1:T", "--no-limits"]
    )
    assert (args.host, args.port, args.token, args.no_limits) == ("127.0.0.1", 0, "1:T", True)
    assert build_parser().parse_args([]).port == 8081
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
