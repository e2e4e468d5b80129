"""`python -m bot.emulator`: serve the emulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from .limits import DEFAULT_LIMITS
from .server import BotAPIEmulator


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.emulator", description="Local Telegram Bot API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="tongban_test_bot")
    parser.add_argument("--no-limits", action="store_true", help="disable rate limiting (no 429s)")
    return parser


async def serve(args: argparse.Namespace) -> None:
    emu = BotAPIEmulator(
        token=args.token,
        bot_username=args.bot_username,
        limits=None if args.no_limits else DEFAULT_LIMITS,
    )
    await emu.start(args.host, args.port)
    print(f"Bot API emulator: base_url={emu.base_url}", flush=True)
    print(f"token={emu.token} control={emu.control_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
