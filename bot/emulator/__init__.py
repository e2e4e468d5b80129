"""A local Telegram Bot API emulator: real HTTP, Telegram's limits and error wording.

Used by end-to-end tests, benchmarks and the local sandbox; depends only on aiohttp.

    async with BotAPIEmulator() as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        child = emu.user(1001, "Xiaoming")
        await child.send_command("start", "INVITE")
        reply = await child.wait_for_message(lambda m: "Welcome" in (m.text or ""))
        await child.tap_button("OK")
"""

from .chat import ChatLog
from .errors import ApiError
from .limits import DEFAULT_LIMITS, SENDING_METHODS, EmulatorLimits
from .models import SentMessage
from .server import BotAPIEmulator
from .stats import EmulatorStats
from .user import EmulatedUser

__all__ = [
    "DEFAULT_LIMITS",
    "SENDING_METHODS",
    "ApiError",
    "BotAPIEmulator",
    "ChatLog",
    "EmulatedUser",
    "EmulatorLimits",
    "EmulatorStats",
    "SentMessage",
]
