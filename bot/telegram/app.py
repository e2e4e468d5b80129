"""Building the python-telegram-bot Application and running it (polling or webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    ContextTypes,
    Defaults,
)

from bot.bootstrap import Core
from bot.config import Settings
from bot.domain.people import COMMANDS, Role
from bot.services.tick import collect_due
from bot.telegram.chat_marks import ChatMarks, MarkingRequest
from bot.telegram.handlers import Handlers
from bot.telegram.outbox_sender import OutboxSender
from bot.telegram.rate_limit import TongbanRateLimiter

log = logging.getLogger(__name__)


class TongbanBot:
    """The running bot: the PTB application, the outbox sender and the repeating tick."""

    def __init__(
        self, core: Core, settings: Settings, rate_limiter: BaseRateLimiter | None = None
    ) -> None:
        """`rate_limiter` defaults to Telegram's limits (30 messages/s, about 1/s in a chat),
        urgent first, a 429 pausing only its chat (`TongbanRateLimiter`)."""
        self.core = core
        self.settings = settings
        proxy = settings.telegram_proxy or None
        marks = ChatMarks()  # every message id seen, so a crash clean-up spares known ones
        request = MarkingRequest(
            marks, connection_pool_size=settings.send_concurrency + 8, proxy=proxy
        )
        updates_request = MarkingRequest(marks, proxy=proxy, read_timeout=40)
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.bot_token)
            .base_url(settings.telegram_base_url)
            .base_file_url(settings.telegram_base_file_url)
            .request(request)
            .get_updates_request(updates_request)
            .rate_limiter(rate_limiter or TongbanRateLimiter(max_retries=3))
            .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
            .concurrent_updates(True)
            .build()
        )
        self.sender = OutboxSender(
            core.deps, self.application.bot, settings.send_concurrency, marks
        )
        Handlers(core.deps, self.wake, self.tick_now).register(self.application)
        self._tick_running = asyncio.Lock()

    def wake(self) -> None:
        """Send what the last action queued without waiting for the next tick.

        Only the outbox: collecting due work stays with the repeating tick, so an alert a tap
        raised never waits behind a 10,000-child round being collected or sent.
        """
        self.application.create_task(self._drain(wait=False))

    def tick_now(self) -> None:
        """Run the repeating tick at once: the last action asked for due work (a coordinator's
        check-in now), which only the tick collects."""
        self.application.create_task(self.tick())

    async def tick(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """Collect what is due and send it. Never raises: a failed tick is retried by the next."""
        async with self._tick_running:  # one collection at a time; a second caller waits
            try:
                await collect_due(self.core.deps)
            except Exception:
                log.exception("collecting what is due failed; the next tick will try again")
        await self._drain(wait=True)  # what is already queued still goes out

    async def _drain(self, wait: bool) -> None:
        try:
            await self.sender.drain(wait)
        except Exception:
            log.exception("sending failed; the next tick will try again")

    async def start(self) -> None:
        """Connect and start receiving updates; on failure, undo what was started and re-raise."""
        try:
            app = self.application
            await app.initialize()
            self.core.deps.bot_username = app.bot.username
            await self._set_commands()
            app.job_queue.run_repeating(
                self.tick,
                interval=self.settings.tick_seconds,
                first=0.1,
                name="tick",
                job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            )
            await app.start()
            if self.settings.webhook_url:
                await app.updater.start_webhook(
                    listen=self.settings.webhook_listen,
                    port=self.settings.webhook_port,
                    url_path="telegram",
                    webhook_url=self.settings.webhook_url,
                    secret_token=self.settings.webhook_secret or None,
                    allowed_updates=["message", "callback_query"],
                )
            else:
                await app.updater.start_polling(
                    timeout=30, allowed_updates=["message", "callback_query"]
                )
            mode = "webhook" if self.settings.webhook_url else "polling"
            log.info("bot @%s running (%s)", app.bot.username, mode)
        except BaseException:
            with contextlib.suppress(Exception):
                await self.stop()
            raise

    async def _set_commands(self) -> None:
        """The command menu, in each language Telegram may show it in; optional, so never fatal.

        The menu is the same for everyone, so it offers what a child may use; staff see theirs
        in /help.
        """
        texts = self.core.deps.texts
        names = COMMANDS[Role.CHILD]
        for locale in (None, *texts.locales):
            commands = [BotCommand(n, texts.label(n, locale, group="menu")) for n in names]
            language = locale.split("_")[0] if locale else None
            try:
                await self.application.bot.set_my_commands(commands, language_code=language)
            except TelegramError as error:
                log.warning("could not set the command menu: %s", error)

    async def stop(self) -> None:
        """Stop taking updates and let the send in hand finish; the outbox keeps the rest."""
        self.sender.stopping = True
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


async def serve(core: Core, settings: Settings) -> None:
    """Run until SIGTERM or SIGINT, then stop cleanly: no update or outbox row is lost."""
    bot = TongbanBot(core, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await bot.start()
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await bot.stop()
