"""Commands anyone enrolled may use: /start, /help, /language, and a child's /pause and /resume."""

from __future__ import annotations

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.accounts import may_give_guardian_consent
from bot.domain.actions import ChooseLanguage, encode
from bot.domain.checkin_rules import CheckinStatus
from bot.domain.invites import looks_like_code
from bot.domain.people import LinkKind, Role, commands_for
from bot.services.alerts import crisis_path
from bot.services.checkins.checkins import close_checkin
from bot.services.checkins.scheduling import refresh_schedule
from bot.services.deps import Deps
from bot.services.entry import strangers
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender
from bot.services.people import consent_flow
from bot.services.people.enrolment import redeem_invite


def _help(deps: Deps, people: list[Person]) -> Message:
    roles = {Role(p.role) for p in people}
    locale = people[0].locale
    return Message(deps.texts.render("help", locale, commands=commands_for(roles)))


async def _pending_consents(deps: Deps, store: Store, person: Person) -> list[Message]:
    """Consent questions this person still has to answer (a parent's, or a child's own).

    A parent on an account that also holds a child (possible only in data from before adults
    and children were kept apart) is not asked: their tap could be the child's, so they read
    how to give consent on paper instead.
    """
    if person.role == Role.CHILD:
        state = await store.people.consent_state(person.id)
        return [] if state.assent else [consent_flow.assent_request(deps, person)]
    if person.role != Role.PARENT:
        return []
    messages = []
    children = await store.people.family_children(person.id)
    for child in children:
        if not (await store.people.consent_state(child.id)).guardian:
            messages.append(consent_flow.consent_request(deps, person, child))
    if messages and person.telegram_id is not None:
        account = await store.people.people_on_account(person.telegram_id)
        if not may_give_guardian_consent(Role(p.role) for p in account):
            return [consent_flow.shared_account_notice(deps, person.locale)]
    return messages


async def _welcome(deps: Deps, store: Store, person: Person) -> list[Message]:
    children: list[str] = []
    writes_to: list[str] = []
    if person.role == Role.PARENT:
        children = [c.display_name for c in await store.people.family_children(person.id)]
        far = await store.people.linked_children(person.id, LinkKind.PARENT)
        writes_to = [c.display_name for c in far]
    elif person.role == Role.VOLUNTEER:
        linked = await store.people.linked_children(person.id, LinkKind.VOLUNTEER)
        children = [c.display_name for c in linked]
    text = deps.texts.render(
        "welcome",
        person.locale,
        role=person.role,
        name=person.display_name,
        children=children,
        writes_to=writes_to,
    )
    return [Message(text), *await _pending_consents(deps, store, person)]


async def start(deps: Deps, store: Store, sender: Sender, payload: str | None) -> Outcome:
    if payload:
        return await _join(deps, store, sender, payload)
    people = list(await store.people.people_on_account(sender.user_id))
    if not people:
        return strangers.stranger_reply(deps, sender)
    await store.people.mark_reachable(sender.user_id, None)
    replies = [_help(deps, people)]
    for person in people:
        replies.extend(await _pending_consents(deps, store, person))
    return Outcome(replies=replies)


async def _join(deps: Deps, store: Store, sender: Sender, payload: str) -> Outcome:
    """Redeem an invite, within the account's allowance of tries (a flood gets silence)."""
    refused = strangers.invite_try(deps, sender)
    if refused is not None:
        return refused
    person = None
    if looks_like_code(payload):
        try:
            person = await redeem_invite(
                deps, store, payload, sender.user_id, sender.language_code, sender.first_name
            )
        except UserError as error:
            locale = strangers.sender_locale(sender)
            return Outcome.reply(deps.texts.render("error", locale, reason=error.reason))
    if person is None:
        return strangers.invite_invalid(deps, sender)
    strangers.invite_worked(deps, sender)
    return Outcome(replies=await _welcome(deps, store, person))


async def help_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    everyone = list(await store.people.people_on_account(sender.user_id))
    return Outcome(replies=[_help(deps, everyone)])


async def language_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    locale = people[0].locale
    row = tuple(
        Button(deps.texts.label(f"language_{code}", code), encode(ChooseLanguage(code)))
        for code in deps.texts.locales
    )
    return Outcome.reply(deps.texts.render("language_choose", locale), (row,))


async def choose_language(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: ChooseLanguage
) -> Outcome:
    """Everyone on the account reads one language (it is one screen)."""
    if action.locale not in deps.texts.locales:
        return Outcome.refusal()
    await store.people.set_account_locale(sender.user_id, action.locale)
    return Outcome(
        edit=Message(deps.texts.render("language_set", action.locale)),
        toast=deps.texts.label("noted", action.locale),
    )


async def _set_paused(deps: Deps, store: Store, children: list[Person], paused: bool) -> list[str]:
    """Pause or resume each child on the account; returns when each next check-in comes."""
    upcoming = []
    for child in children:
        found = await store.people.child_with_profile(child.id)
        if found is None:
            continue
        _, profile = found
        profile.paused = paused
        if paused:
            profile.next_checkin_at = None
            open_one = await store.checkins.open_checkin(child.id)
            if open_one is not None and not await store.checkins.count_answers(open_one.id):
                await close_checkin(deps, store, open_one, CheckinStatus.CANCELLED)
        when = await refresh_schedule(deps, store, child, profile)
        if when is not None:
            upcoming.append(local_time(deps, when, child.timezone, child.locale))
    return upcoming


async def pause_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    await _set_paused(deps, store, people, True)
    return Outcome.reply(deps.texts.render("paused", people[0].locale))


async def resume_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    upcoming = await _set_paused(deps, store, people, False)
    return Outcome.reply(deps.texts.render("resumed", people[0].locale, upcoming=upcoming))


async def sos_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """A child asks for help: the crisis path, for each child on this phone. Words after /sos
    are screened like any text (an abuse disclosure also opens its reporting task) and shown
    to the volunteer."""
    words = " ".join(args)
    if words:
        screened = await crisis_path.screen_child_text(deps, store, people, words)
        if screened is not None:
            return screened
    outcome = Outcome()
    for child in people:
        outcome = await crisis_path.ask_for_help(deps, store, child, words)
    return outcome
