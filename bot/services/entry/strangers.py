"""Answers nobody earned: to unknown accounts, and to invite links that do not work.

Each is rationed per account (`bot.domain.throttle`): a flood from one account gets a few
answers and then silence, so it cannot spend the sending budget that urgent alerts need. The
texts are the same for everyone, so nobody learns who is enrolled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.adapters.db.models import Person
from bot.domain.throttle import Verdict
from bot.services.deps import Deps
from bot.services.outcome import Outcome, Sender

log = logging.getLogger(__name__)


def sender_locale(sender: Sender) -> str | None:
    """A stranger's language, as Telegram reports it (the program's default otherwise)."""
    return "en" if (sender.language_code or "").startswith("en") else None


def reader_locale(sender: Sender, people: Sequence[Person]) -> str | None:
    """The language of whoever reads an answer: the enrolled person's, else Telegram's."""
    return people[0].locale if people else sender_locale(sender)


def stranger_reply(deps: Deps, sender: Sender) -> Outcome:
    """The generic "this needs an invite link", while the account's allowance lasts."""
    verdict = deps.throttles.stranger_replies.take(sender.user_id, deps.clock.now())
    if verdict is not Verdict.GO:
        if verdict is Verdict.TELL:
            log.info("an unknown account keeps writing; it is not answered for a while")
        return Outcome()
    return Outcome.reply(deps.texts.render("stranger", sender_locale(sender)))


def invite_try(deps: Deps, sender: Sender) -> Outcome | None:
    """Spend one invite try before the code is looked at; None when the account has one.

    Past the allowance the code is not checked at all: one kind "too many tries, wait",
    then silence until a try comes back.
    """
    verdict = deps.throttles.invite_tries.take(sender.user_id, deps.clock.now())
    if verdict is Verdict.GO:
        return None
    if verdict is Verdict.SILENT:
        return Outcome()
    log.info("an account opened too many invite links that do not work; it waits now")
    return Outcome.reply(deps.texts.render("invite_too_many", sender_locale(sender)))


def invite_worked(deps: Deps, sender: Sender) -> None:
    """A good invite costs nothing: give the try back."""
    deps.throttles.invite_tries.refund(sender.user_id, deps.clock.now())


def invite_invalid(deps: Deps, sender: Sender) -> Outcome:
    return Outcome.reply(deps.texts.render("invite_invalid", sender_locale(sender)))
