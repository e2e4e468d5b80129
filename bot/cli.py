"""Command line: `python -m bot run | invite | import | migrate`.

Every failure the operator can fix ends in one line on stderr and exit code 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import html
import logging
import re
import sys
from pathlib import Path

from bot.bootstrap import Core, build_core
from bot.config import ConfigError, Settings, load_settings
from bot.domain.people import AGE_BANDS, Guardianship
from bot.roster import RosterError, import_roster, read_roster
from bot.services.errors import UserError
from bot.services.people.enrolment import INVITE_KINDS, InviteRequest, create_invite


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Tongban check-in bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling, or a webhook when WEBHOOK_URL is set)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    invite = sub.add_parser("invite", help="print an invite link for one person")
    invite.add_argument(
        "--role", required=True, choices=INVITE_KINDS, help="carer: a family adult at home"
    )
    invite.add_argument("--name", default="", help="nickname of a child, or an adult's name")
    invite.add_argument("--child", default="", help="the child's nickname (parents, volunteers)")
    invite.add_argument("--age-band", default="", choices=["", *AGE_BANDS])
    invite.add_argument(
        "--guardianship", default="", choices=["", *[g.value for g in Guardianship]]
    )
    invite.add_argument("--village", default="")
    invite.add_argument("--school", default="")
    replay = sub.add_parser(
        "replay", help="print the alerts detection raises on recorded histories"
    )
    replay.add_argument("file", type=Path, help="JSON lines, one check-in each ('-' for stdin)")
    roster = sub.add_parser("import", help="invite everyone in a CSV roster, one link per row")
    roster.add_argument("csv", type=Path)
    return parser


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _one_line(text: str) -> str:
    return " ".join(_plain(text).split())


async def _bot_username(settings: Settings) -> str:
    """From BOT_USERNAME, else ask Telegram (getMe) with the token."""
    if settings.bot_username:
        return settings.bot_username
    if not settings.bot_token:
        raise ConfigError("set BOT_USERNAME (or BOT_TOKEN) so invite links name the bot")
    from bot.telegram.identity import fetch_username

    try:
        return await fetch_username(settings)
    except ConfigError as error:
        raise ConfigError(f"{error} Or set BOT_USERNAME in .env.") from None
    except Exception as error:  # any other failure ends in the same advice
        detail = " ".join(str(error).split()) or type(error).__name__
        raise ConfigError(
            f"could not ask Telegram for the bot's name ({detail}); set BOT_USERNAME in .env"
        ) from None


async def _with_core(settings: Settings, work) -> int:  # type: ignore[no-untyped-def]
    core = await build_core(settings, warm_up=False)  # one verb renders a text or two
    try:
        core.deps.bot_username = await _bot_username(settings)
        return await work(core)
    except UserError as error:
        print(
            _plain(core.deps.texts.render("error", None, reason=error.reason, **error.params)),
            file=sys.stderr,
        )
        return 2
    finally:
        await core.close()


async def _invite(core: Core, args: argparse.Namespace) -> int:
    request = InviteRequest.of(
        args.role,
        name=args.name,
        child=args.child,
        age_band=args.age_band,
        guardianship=args.guardianship,
        village=args.village,
        school=args.school,
    )
    async with core.deps.stores.begin() as store:
        issued = await create_invite(core.deps, store, request, None)
    print(issued.link)
    return 0


async def _import(core: Core, path: Path) -> int:
    try:
        issued = await import_roster(core.deps, read_roster(path))
    except RosterError as error:
        line = core.deps.texts.render(
            "cli_roster", None, row=error.row, reason=error.error.reason, **error.error.params
        )
        print(_one_line(line), file=sys.stderr)
        return 2
    out = csv.writer(sys.stdout, lineterminator="\n")  # quotes names holding commas or quotes
    for number, invite in issued:
        out.writerow([number, invite.role.value, invite.name, invite.link])
    return 0


async def _run(settings: Settings) -> int:
    from bot.telegram.app import serve
    from bot.telegram.identity import explain_telegram_errors

    core = await build_core(settings)
    try:
        with explain_telegram_errors(settings):  # a refused token or no route: one line, exit 2
            await serve(core, settings)
    finally:
        await core.close()
    return 0


async def _migrate(settings: Settings) -> int:
    core = await build_core(settings, warm_up=False)
    print(_one_line(core.deps.texts.render("cli_migrated", None)))
    await core.close()
    return 0


def _replay(path: Path) -> int:
    """Needs no settings or database: the detection code alone, as the bot runs it, on the
    dialog data read once here (as bootstrap reads it for the bot)."""
    from bot.adapters.dialog_bundle import DialogDataError, load_dialogs
    from bot.replay import ReplayError, run_replay

    try:
        dialogs = load_dialogs()
    except DialogDataError as error:
        print(f"tongban: {error}", file=sys.stderr)
        return 2
    try:
        if str(path) == "-":
            return run_replay(sys.stdin, sys.stdout, dialogs)
        with path.open(encoding="utf-8") as source:
            return run_replay(source, sys.stdout, dialogs)
    except OSError as error:
        print(f"tongban: cannot read {path}: {error.strerror}", file=sys.stderr)
    except ReplayError as error:
        print(f"tongban: {path}: {error}", file=sys.stderr)
    return 2


# At DEBUG these libraries log whole requests and updates: children's words and names. They
# stay at INFO (or quieter) whatever LOG_LEVEL says; LOG_LEVEL=DEBUG is for the bot's own code.
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "apscheduler")
QUIET_LOGGERS = ("httpx", "alembic")  # one line per request or migration step: only warnings


def configure_logging(level: str) -> None:
    """Logs carry ids and events, never personal content, even at DEBUG."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.setLevel(max(logging.INFO, library.getEffectiveLevel()))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "replay":
        return _replay(args.file)
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        if args.command == "run":
            settings.require_token()
            return asyncio.run(_run(settings))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "invite":
            return asyncio.run(_with_core(settings, lambda core: _invite(core, args)))
        if not args.csv.exists():
            raise ConfigError(f"no such roster file: {args.csv}")
        return asyncio.run(_with_core(settings, lambda core: _import(core, args.csv)))
    except ConfigError as error:
        print(f"tongban: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
