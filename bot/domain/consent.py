"""Consent rules for children's data.

Children under 14 are "sensitive personal information" under PIPL art. 28 and 31: processing
needs the guardian's consent. The program also asks the child's own assent in words a child
understands. Check-ins start only when both stand and neither has been withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConsentKind(StrEnum):
    GUARDIAN = "guardian"
    ASSENT = "assent"


class ConsentMethod(StrEnum):
    CHAT = "chat"
    PAPER = "paper"


@dataclass(frozen=True)
class ConsentState:
    guardian: bool
    assent: bool

    @property
    def complete(self) -> bool:
        return self.guardian and self.assent

    def missing(self) -> list[ConsentKind]:
        missing = []
        if not self.guardian:
            missing.append(ConsentKind.GUARDIAN)
        if not self.assent:
            missing.append(ConsentKind.ASSENT)
        return missing


def may_check_in(state: ConsentState, paused: bool) -> bool:
    """A child receives check-ins only with both consents and while not paused."""
    return state.complete and not paused
