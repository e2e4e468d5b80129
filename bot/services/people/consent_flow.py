"""Recording guardian consent and the child's assent, then starting check-ins."""

from __future__ import annotations

from bot.adapters.db.models import Consent, Person
from bot.adapters.db.store import Store
from bot.domain.accounts import may_give_guardian_consent
from bot.domain.actions import ChildAssent, GuardianConsent, encode
from bot.domain.checkin_rules import CheckinStatus
from bot.domain.consent import ConsentKind, ConsentMethod
from bot.domain.people import Role
from bot.services.access import GUARDIAN, OWN, act_for
from bot.services.checkins.checkins import close_checkin
from bot.services.checkins.scheduling import refresh_schedule
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.formatting import local_time
from bot.services.outcome import Button, Message, Outcome, Sender


def consent_request(deps: Deps, parent: Person, child: Person) -> Message:
    """The notice a guardian reads before agreeing (purpose, storage, period, rights)."""
    locale = parent.locale
    text = deps.texts.render("consent_request", locale, child=child.display_name)
    buttons = (
        (
            Button(
                deps.texts.label("consent_yes", locale), encode(GuardianConsent(child.id, True))
            ),
            Button(
                deps.texts.label("consent_no", locale), encode(GuardianConsent(child.id, False))
            ),
        ),
    )
    return Message(text, buttons)


def assent_request(deps: Deps, child: Person) -> Message:
    """The child's own short explanation, in words a 7-year-old understands."""
    locale = child.locale
    text = deps.texts.render("assent_request", locale, nickname=child.display_name)
    buttons = (
        (
            Button(deps.texts.label("assent_yes", locale), encode(ChildAssent(child.id, True))),
            Button(deps.texts.label("assent_no", locale), encode(ChildAssent(child.id, False))),
        ),
    )
    return Message(text, buttons)


async def _record(
    deps: Deps,
    store: Store,
    child_id: int,
    kind: ConsentKind,
    method: ConsentMethod,
    by: Person,
    as_role: str,
) -> None:
    """Store a consent with its provenance: who gave or recorded it, in which role, from
    which Telegram account (see `Consent`)."""
    state = await store.people.consent_state(child_id)
    already = state.guardian if kind == ConsentKind.GUARDIAN else state.assent
    if not already:
        store.add(
            Consent(
                child_id=child_id,
                kind=kind.value,
                method=method.value,
                recorded_by=by.id,
                from_account=by.telegram_id,
                from_role=as_role,
                from_name=by.display_name,
                given_at=deps.clock.now(),
            )
        )
        await store.flush()


async def _status_text(deps: Deps, store: Store, child_id: int, locale: str) -> str:
    """Say what happens next: the first check-in time, or what is still missing."""
    found = await store.people.child_with_profile(child_id)
    assert found is not None
    child, profile = found
    when = await refresh_schedule(deps, store, child, profile)
    state = await store.people.consent_state(child_id)
    first = local_time(deps, when, child.timezone, locale) if when else None
    return deps.texts.render(
        "consent_status",
        locale,
        nickname=child.display_name,
        first=first,
        missing=[kind.value for kind in state.missing()],
        paused=profile.paused,
    )


async def guardian_answer(
    deps: Deps,
    store: Store,
    sender: Sender,
    people: list[Person],
    action: GuardianConsent,
) -> Outcome:
    """A parent's or carer's tap on the consent question; `people` is everyone on the account.

    From an account that also holds a child the tap is refused: it could be the child's own
    (see `may_give_guardian_consent`), so the guardian is pointed to the paper form.
    """
    access = await act_for(store, people, action.child_id, GUARDIAN)
    if access is None:
        return Outcome.refusal()
    parent, link_kind = access.person, access.standing.value
    if not may_give_guardian_consent(Role(p.role) for p in people):
        return Outcome(edit=shared_account_notice(deps, parent.locale))
    if not action.agree:
        return Outcome(edit=Message(deps.texts.render("consent_declined", parent.locale)))
    await _record(
        deps, store, action.child_id, ConsentKind.GUARDIAN, ConsentMethod.CHAT, parent, link_kind
    )
    text = await _status_text(deps, store, action.child_id, parent.locale)
    return Outcome(edit=Message(text), toast=deps.texts.label("noted", parent.locale))


def shared_account_notice(deps: Deps, locale: str) -> Message:
    """Why a guardian cannot consent from this account, and what to do instead."""
    return Message(deps.texts.render("consent_shared_account", locale))


async def child_answer(
    deps: Deps, store: Store, sender: Sender, people: list[Person], action: ChildAssent
) -> Outcome:
    access = await act_for(store, people, action.child_id, OWN)
    if access is None:
        return Outcome.refusal()
    child = access.person
    if not action.agree:
        return Outcome(edit=Message(deps.texts.render("assent_declined", child.locale)))
    await _record(
        deps, store, child.id, ConsentKind.ASSENT, ConsentMethod.CHAT, child, Role.CHILD.value
    )
    text = await _status_text(deps, store, child.id, child.locale)
    return Outcome(edit=Message(text), toast=deps.texts.label("noted", child.locale))


async def paper_consent(deps: Deps, store: Store, coordinator: Person, nickname: str) -> str:
    """A coordinator records the guardian's signed paper form."""
    found = await store.people.child_by_nickname(nickname)
    if found is None:
        raise UserError("child_not_found", nickname=nickname)
    child, _ = found
    await _record(
        deps,
        store,
        child.id,
        ConsentKind.GUARDIAN,
        ConsentMethod.PAPER,
        coordinator,
        Role.COORDINATOR.value,
    )
    return await _status_text(deps, store, child.id, coordinator.locale)


async def withdraw_guardian(deps: Deps, store: Store, coordinator: Person, nickname: str) -> str:
    """The guardian withdrew consent (usually told to the social worker in person): check-ins
    stop, an open one is cancelled, and parents' messages are held from now on."""
    found = await store.people.child_by_nickname(nickname)
    if found is None:
        raise UserError("child_not_found", nickname=nickname)
    child, profile = found
    now = deps.clock.now()
    await store.people.withdraw_consents(child.id, ConsentKind.GUARDIAN, now)
    open_one = await store.checkins.open_checkin(child.id)
    if open_one is not None:
        await close_checkin(deps, store, open_one, CheckinStatus.CANCELLED)
    await refresh_schedule(deps, store, child, profile)
    return deps.texts.render("consent_withdrawn", coordinator.locale, nickname=child.display_name)
