"""A child's shared highlight: one good thing of the week, chosen from a fixed list (/share).

Only the choice's key is stored. The parent's weekly update says it in the parent's language,
so a parent hears something the child chose to tell them, never anything the child wrote.
"""

from __future__ import annotations

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.actions import ShareHighlight, encode
from bot.services.access import OWN, act_for
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.outcome import Button, Message, Outcome, Sender

GROUP = "highlights"


def parent_phrase(deps: Deps, key: str, child_name: str, locale: str) -> str | None:
    """How a parent's update says the highlight, e.g. "xiaoming helped at home"."""
    choice = deps.dialogs.highlight(key)
    if choice is None:
        return None  # a key retired from highlights.yaml: say nothing rather than guess
    return deps.texts.gettext(choice.parent, locale) % {"child": child_name}


async def _may_share(store: Store, child: Person) -> bool:
    """Only a child whose guardian and own consent stand has anything stored about them."""
    return (await store.people.consent_state(child.id)).complete


def _choices(deps: Deps, child: Person) -> Message:
    locale = child.locale
    rows = tuple(
        (
            Button(
                deps.texts.gettext(choice.child, locale),
                encode(ShareHighlight(child.id, choice.key)),
            ),
        )
        for choice in deps.dialogs.highlights
    )
    text = deps.texts.render("highlight_choose", locale, child=child.display_name, who=False)
    return Message(text, rows)


async def share_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/share`: the list of good things; siblings on one phone first say who is sharing."""
    children = [child for child in people if await _may_share(store, child)]
    if not children:
        raise UserError("share_not_yet")
    if len(children) == 1:
        return Outcome(replies=[_choices(deps, children[0])])
    locale = children[0].locale
    rows = tuple(
        (Button(child.display_name, encode(ShareHighlight(child.id, ""))),) for child in children
    )
    text = deps.texts.render("highlight_choose", locale, child=None, who=True)
    return Outcome.reply(text, rows)


async def on_button(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: ShareHighlight
) -> Outcome:
    """A child picked a highlight (or, on a shared phone, who is sharing)."""
    access = await act_for(store, people, action.child_id, OWN)
    child = access.person if access else None
    if child is None or not await _may_share(store, child):
        return Outcome.refusal()
    if not action.key:
        return Outcome(edit=_choices(deps, child))
    choice = deps.dialogs.highlight(action.key)
    if choice is None:
        return Outcome.refusal()
    store.family.add_highlight(child.id, choice.key, deps.clock.now())
    text = deps.texts.render(
        "highlight_shared", child.locale, thing=deps.texts.gettext(choice.child, child.locale)
    )
    return Outcome(
        edit=Message(text), toast=deps.texts.label("shared_toast", child.locale, group=GROUP)
    )
