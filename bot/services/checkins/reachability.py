"""When a child or parent can no longer be reached (they blocked the bot or left Telegram).

The bot cannot fix that, but a person can: the child's volunteer is told once, so someone calls
the family instead of messages piling up unseen.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind, Role
from bot.domain.schedule import next_allowed
from bot.services.alerts.raising import recipients
from bot.services.deps import Deps
from bot.services.outcome import Message

log = logging.getLogger(__name__)


async def became_unreachable(deps: Deps, store: Store, chat_id: int, now: datetime) -> int:
    """Mark everyone on the account unreachable; tell volunteers about those who just became so.

    Returns how many notices were queued.
    """
    people = list(await store.people.people_on_account(chat_id))
    newly = [p for p in people if p.unreachable_since is None]
    await store.people.mark_reachable(chat_id, now)
    queued = 0
    for person in newly:
        queued += await _tell_staff(deps, store, person, now)
    return queued


async def _tell_staff(deps: Deps, store: Store, person: Person, now: datetime) -> int:
    relation = person.role
    if person.role == Role.CHILD:
        children = [person]
    elif person.role == Role.PARENT:
        children = list(await store.people.family_children(person.id))
        far = await store.people.linked_children(person.id, LinkKind.PARENT)
        relation = "parent" if far else "carer"
    else:
        return 0
    readers: dict[int, tuple[Person, list[str]]] = {}
    for child in children:
        for reader in await recipients(store, child.id):
            readers.setdefault(reader.id, (reader, []))[1].append(child.display_name)
    queued = 0
    for reader, names in readers.values():
        if reader.telegram_id is None or reader.id == person.id:
            continue
        text = deps.texts.render(
            "unreachable_notice",
            reader.locale,
            name=person.display_name,
            role=relation,
            children=names,
        )
        notice = Outgoing(
            person_id=reader.id,
            chat_id=reader.telegram_id,
            kind="unreachable_notice",
            send_after=next_allowed(now, deps.tz_of(reader.timezone), deps.settings.quiet_times),
            message=Message(text),
            dedupe_key=f"unreachable:{person.id}:{reader.id}:{int(now.timestamp()) // 86400}",
        )
        queued += await store.outbox.enqueue(notice, now)
    log.info("person %s (%s) unreachable; %s staff told", person.id, person.role, queued)
    return queued
