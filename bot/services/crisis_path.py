"""The crisis path: words that may mean danger, the child's /sos and the help button.

It bypasses all statistics. The child at once gets a warm reply with the program's hotlines, and
the volunteer and every coordinator an URGENT alert at the same moment. A human must be brought
in, not only a number shown (shared/DOMAIN_NOTES.md: only 2.4% of app users called a hotline).
An abuse disclosure also opens a mandatory-reporting task for the coordinators.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Person
from bot.adapters.dialogs import load_hotlines
from bot.domain.detection import screen
from bot.services.alerts import raise_alert
from bot.services.deps import Deps
from bot.services.outcome import Message, Outcome

log = logging.getLogger(__name__)
EXCERPT = 300


def help_message(deps: Deps, child: Person) -> Message:
    hotlines = [
        (number, deps.texts.gettext(label, child.locale)) for number, label in load_hotlines()
    ]
    return Message(deps.texts.render("crisis_reply", child.locale, hotlines=hotlines))


async def screen_child_text(
    deps: Deps, session: AsyncSession, children: Sequence[Person], text: str
) -> Outcome | None:
    """Screen free text from a child's account; on a finding, alert and answer the child."""
    finding = screen(text)
    if finding is None or not children:
        return None
    detail = {"category": finding.category, "excerpt": text[:EXCERPT]}
    for child in children:
        await raise_alert(deps, session, child, "crisis", "urgent", detail=detail)
        if finding.category == "abuse":
            await raise_alert(deps, session, child, "abuse_report", "urgent", detail=detail)
    log.warning("crisis path for %s child(ren): %s", len(children), finding.category)
    return Outcome(replies=[help_message(deps, children[0])], outbox_changed=True)


async def ask_for_help(deps: Deps, session: AsyncSession, child: Person) -> Outcome:
    """/sos or the help button: the same path, without waiting for words."""
    await raise_alert(deps, session, child, "sos", "urgent")
    log.warning("child %s asked for help", child.id)
    return Outcome(replies=[help_message(deps, child)], outbox_changed=True)
