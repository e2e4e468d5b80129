"""The crisis path: words that may mean danger, the child's /sos and the help button.

It bypasses all statistics. The child at once gets a warm reply with the program's hotlines, and
the volunteer and every coordinator an URGENT alert at the same moment. A human must be brought
in, not only a number shown (shared/DOMAIN_NOTES.md: only 2.4% of app users called a hotline).
An abuse disclosure also opens a mandatory-reporting task for the coordinators.

Words the screen is unsure about (its model's middle band) take no crisis path: the child gets
the ordinary reply, and their volunteer a non-urgent "please read" alert with the words, so an
unsure screen neither alarms a child nor loses a crisis.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.actions import AskForHelp
from bot.domain.alerting import crisis_alerts
from bot.domain.awaiting import awaited, awaiting
from bot.domain.detection import PLEASE_READ, URGENT, Assessment, assess
from bot.services.access import OWN, act_for
from bot.services.alerts.raising import raise_alert
from bot.services.deps import Deps
from bot.services.outcome import Message, Outcome, Sender

log = logging.getLogger(__name__)
EXCERPT = 300
# After /sos or the help button, what the child writes next is for the volunteer: it may be
# the hardest thing they have typed, so it is neither a check-in word nor a letter home.
WORDS_AFTER_HELP_WAIT = timedelta(minutes=30)


def help_message(deps: Deps, child: Person, reached: bool = True) -> Message:
    """Hotlines, and whether a person was told: never claim so when nobody could be reached."""
    hotlines = _hotlines(deps, child.locale)
    text = deps.texts.render("crisis_reply", child.locale, hotlines=hotlines, reached=reached)
    return Message(text, fades_to=_faded(deps, child.locale))


def _faded(deps: Deps, locale: str) -> str:
    """The neutral line a crisis reply becomes: the numbers stay, the moment does not."""
    return deps.texts.render("crisis_reply_faded", locale, hotlines=_hotlines(deps, locale))


def _hotlines(deps: Deps, locale: str) -> list[tuple[str, str]]:
    return [(number, deps.texts.gettext(label, locale)) for number, label in deps.dialogs.hotlines]


def assess_words(deps: Deps, text: str) -> Assessment:
    """The screen's verdict on words (pure: nothing is raised yet)."""
    return assess(text, deps.dialogs.crisis_lexicon, deps.dialogs.crisis_model)


async def screen_child_text(
    deps: Deps, store: Store, children: Sequence[Person], text: str
) -> Outcome | None:
    """Screen free text from a child's account; on a finding, alert and answer the child.
    None when the caller should answer as usual (nothing found, or words to read)."""
    return await answer_verdict(deps, store, children, text, assess_words(deps, text))


async def answer_verdict(
    deps: Deps, store: Store, children: Sequence[Person], text: str, verdict: Assessment
) -> Outcome | None:
    """Act on the screen's verdict on these children's words: the crisis path for a finding
    (its answer returned), a "please read" alert for the middle band (None, as for nothing)."""
    if verdict.level not in (URGENT, PLEASE_READ) or not children:
        return None
    detail: dict[str, object] = {
        "category": verdict.category,
        "excerpt": text[:EXCERPT],
        "screen": "lexicon" if verdict.finding else "model",
        "model_score": round(verdict.model_score, 3),
    }
    if len(children) > 1:
        detail["shared_phone"] = True  # siblings on one phone: the words may be either's
    if verdict.level == PLEASE_READ:
        await _ask_to_read(deps, store, children, verdict, detail)
        return None
    reached = 0
    for child in children:
        for reason in crisis_alerts(verdict.category or ""):
            reached += await raise_alert(deps, store, child, reason, "urgent", detail=detail)
    log.warning("crisis path for %s child(ren): %s", len(children), verdict.category)
    _warn_if_alone(reached, children)
    return Outcome(
        replies=[help_message(deps, children[0], reached > 0)],
        durable_for=children[0].id,
        delete_incoming=True,  # kept in the alert; gone from a shared phone's chat
    )


async def _ask_to_read(
    deps: Deps,
    store: Store,
    children: Sequence[Person],
    verdict: Assessment,
    detail: dict[str, object],
) -> None:
    """The middle band: each child's volunteer is asked, not urgently, to read the words."""
    for child in children:
        await raise_alert(deps, store, child, "please_read", "alert", detail=detail)
    log.info("words to read for %s child(ren): %s", len(children), verdict.category)


def _warn_if_alone(reached: int, children: Sequence[Person]) -> None:
    if not reached:
        log.error(
            "URGENT alert for child(ren) %s reached nobody: enrol a coordinator "
            "(python -m bot invite --role coordinator)",
            [c.id for c in children],
        )


async def ask_for_help(deps: Deps, store: Store, child: Person, words: str = "") -> Outcome:
    """/sos or the help button: the same path, without waiting for words (any given with /sos
    go to the volunteer with the alert)."""
    detail = {"excerpt": words[:EXCERPT]} if words else None
    reached = await raise_alert(deps, store, child, "sos", "urgent", detail=detail)
    log.warning("child %s asked for help", child.id)
    _warn_if_alone(reached, [child])
    child.awaiting = awaiting("sos", child.id, deps.clock.now())
    return Outcome(
        replies=[help_message(deps, child, reached > 0)],
        durable_for=child.id,
        delete_incoming=True,  # "/sos" and its words must not stay on a shared phone
    )


async def help_button(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: AskForHelp
) -> Outcome:
    """The help button on a check-in, pressed by the child it was sent to."""
    access = await act_for(store, people, action.child_id, OWN)
    if access is None:
        return Outcome.refusal()
    return await ask_for_help(deps, store, access.person)


def help_awaited(deps: Deps, children: Sequence[Person]) -> Person | None:
    """The child on the account who asked for help a moment ago, if any: what they write next
    is for the volunteer."""
    now = deps.clock.now()
    for child in children:
        if awaited(child.awaiting, "sos", now, WORDS_AFTER_HELP_WAIT) == child.id:
            return child
    return None


async def help_words(
    deps: Deps, store: Store, child: Person, text: str, crisis: Outcome | None
) -> Outcome:
    """Words a child writes soon after asking for help (already screened: `crisis` is the
    screen's answer, if it found any): sent to the volunteer with the alert (raised again, so
    it is read now), and removed from the chat."""
    child.awaiting = awaiting("sos", child.id, deps.clock.now())  # there may be more messages
    if crisis is not None:
        return crisis
    detail = {"excerpt": text[:EXCERPT]}
    reached = await raise_alert(deps, store, child, "sos", "urgent", detail=detail)
    _warn_if_alone(reached, [child])
    reply = deps.texts.render(
        "help_words_received",
        child.locale,
        reached=reached > 0,
        hotlines=_hotlines(deps, child.locale),
    )
    message = Message(reply, fades_to=_faded(deps, child.locale))
    return Outcome(replies=[message], durable_for=child.id, delete_incoming=True)
