"""Expected failures of a use case, carried as a reason key the templates turn into words."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the person asked for cannot be done; `reason` names the template text to show."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params
