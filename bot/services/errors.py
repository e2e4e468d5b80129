"""Expected failures of a use case, carried as a reason key the templates turn into words."""

from __future__ import annotations

from typing import Any

from bot.services.deps import Deps
from bot.services.outcome import Outcome


class UserError(Exception):
    """Something the person asked for cannot be done; `reason` names the template text to show."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def error_reply(deps: Deps, error: UserError, locale: str) -> Outcome:
    """The words for an expected failure, in the reader's language."""
    return Outcome.reply(deps.texts.render("error", locale, reason=error.reason, **error.params))
