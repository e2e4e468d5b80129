"""Relayed messages leave the database for the outbox at a good hour, and are later forgotten.

The tick hands each message whose moment has come to the outbox, after asking the release rule
(`bot.domain.relay_release`) again: a pause, a withdrawn consent or a mute may have begun since
it was written, and a tick that ran late must not deliver into the night. Once an hour the words
of settled messages older than RETENTION are cleared (who, when and what kind stay).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.adapters.db.models import ChildProfile, Person, Relay
from bot.adapters.db.store import Store
from bot.domain.actions import QuickReply, encode
from bot.domain.outgoing import Outgoing
from bot.domain.people import Role
from bot.domain.relay import QUICK_REPLIES, RETENTION, RelayStatus
from bot.domain.relay_release import Hours, Recipient, Step, at_its_moment
from bot.services.checkins.scheduling import adult_good_hour, child_allowed
from bot.services.deps import Deps
from bot.services.outcome import Button, Media, Message
from bot.services.people import program_settings

log = logging.getLogger(__name__)
BATCH = 200
RELAY_PRIORITY = 0
FORGOTTEN, FORGET_EVERY = "relay_content_forgotten", timedelta(hours=1)


def label(deps: Deps, key: str, locale: str | None) -> str:
    """A button or toast label of the relay's own group."""
    return deps.texts.label(key, locale, group="relay")


async def collect_relays(deps: Deps) -> int:
    """Hand every message whose moment has come to the outbox (checked again right now)."""
    queued = 0
    now = deps.clock.now()
    while True:
        async with deps.stores.begin() as store:
            rows = await store.relays.due(now, BATCH)
            for relay in rows:
                queued += await deliver_when_possible(deps, store, relay, now)
        if len(rows) < BATCH:
            return queued


async def forget_old_content(deps: Deps) -> int:
    """Once an hour, clear what settled messages said after RETENTION (nothing is queued)."""
    now = deps.clock.now()
    async with deps.stores.begin() as store:
        if not await program_settings.claim_chore(store, FORGOTTEN, FORGET_EVERY, now):
            return 0
        cleared = await store.relays.forget_content(now - RETENTION)
    if cleared:
        log.info("relay: content of %s settled messages forgotten", cleared)
    return 0


async def held(store: Store, parent_id: int, child_id: int) -> bool:
    """Paused by a coordinator (safeguarding) or the guardian's consent withdrawn."""
    plan = await store.people.contact_plan(parent_id, child_id)
    if plan is not None and plan.relay_paused:
        return True
    return not (await store.people.consent_state(child_id)).guardian


def hours_of(deps: Deps, person: Person) -> Hours:
    """The recipient's own allowed hours: a child's outside school and the night, an adult's
    outside their night and working hours."""
    if person.role == Role.CHILD:
        return lambda after: child_allowed(deps, person, after)
    return lambda after: adult_good_hour(deps, person, after)


def _any_hour(after: datetime) -> datetime:
    return after


async def recipient_of(store: Store, person: Person) -> Recipient:
    """The facts the release rule weighs about a message's recipient."""
    muted_until = None
    if person.role == Role.CHILD:
        profile = await store.get(ChildProfile, person.id)
        muted_until = profile.relay_muted_until if profile is not None else None
    return Recipient(
        is_child=person.role == Role.CHILD,
        joined=person.telegram_id is not None,
        unreachable=person.unreachable_since is not None,
        muted_until=muted_until,
    )


async def deliver_when_possible(deps: Deps, store: Store, relay: Relay, now: datetime) -> int:
    """Checked again at delivery, in both directions: a pause or withdrawn consent, a mute, and
    the recipient's own hours (a tick that ran late must not deliver into the night)."""
    person = await store.get(Person, relay.recipient_id)
    if person is None:
        decision = at_its_moment(None, False, _any_hour, now)
    else:
        recipient = await recipient_of(store, person)
        pair = (relay.sender_id, person.id) if recipient.is_child else (person.id, relay.sender_id)
        is_held = await held(store, *pair)
        decision = at_its_moment(recipient, is_held, hours_of(deps, person), now)
    if decision.step == Step.FAIL:
        relay.status = RelayStatus.FAILED.value
    elif decision.step == Step.HOLD:
        relay.status = RelayStatus.HELD.value
    elif decision.step == Step.WAIT:
        relay.deliver_after = decision.at
    elif person is not None:
        return await release(deps, store, relay, person, now)
    return 0


async def release(deps: Deps, store: Store, relay: Relay, recipient: Person, now: datetime) -> int:
    """Put the message in the outbox now; its sender is asked for in the same transaction."""
    sender = await store.get(Person, relay.sender_id)
    if sender is None or recipient.telegram_id is None:
        relay.status = RelayStatus.FAILED.value
        return 0
    relay.status = RelayStatus.SENDING.value
    # One key per attempt: a message that waited for a blocked person to come back is sent anew.
    attempt = int(relay.deliver_after.timestamp()) if relay.deliver_after else 0
    item = Outgoing(
        person_id=recipient.id,
        chat_id=recipient.telegram_id,
        kind="relay",
        send_after=now,
        message=message_for(deps, relay, sender, recipient),
        priority=RELAY_PRIORITY,
        dedupe_key=f"relay:{relay.id}:{attempt}",
        relay_id=relay.id,
    )
    return int(await store.outbox.enqueue(item, now))


def message_for(deps: Deps, relay: Relay, sender: Person, recipient: Person) -> Message:
    """The relayed message as its recipient sees it (a child's with the quick answers)."""
    media = Media(relay.kind, relay.file_id) if relay.file_id else None
    if recipient.role == Role.CHILD:
        text = deps.texts.render(
            "relay_to_child",
            recipient.locale,
            sender=sender.display_name,
            kind=relay.kind,
            words=relay.text or "",
        )
        return Message(text, _quick_buttons(deps, relay, recipient.locale), media)
    text = deps.texts.render(
        "relay_to_parent",
        recipient.locale,
        child=sender.display_name,
        kind=relay.kind,
        words=relay.text or "",
    )
    return Message(text, media=media)


def _quick_buttons(deps: Deps, relay: Relay, locale: str) -> tuple[tuple[Button, ...], ...]:
    quick = tuple(
        Button(label(deps, f"quick_{code}", locale), encode(QuickReply(relay.id, code)))
        for code in QUICK_REPLIES
    )
    write = Button(label(deps, "write_back", locale), encode(QuickReply(relay.id, "write")))
    return (quick, (write,))
