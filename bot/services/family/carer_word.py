"""The silence step between the child's retry and the volunteer's task: a word to the carer.

When a child has missed a few check-ins in a row, the adult at home (a grandparent, an aunt:
linked to the child as carer) can often settle it in a minute by handing over the phone. Each
enrolled carer gets one short, warm message at their own good hour, in their own language. It
says only that the check-ins went unanswered: never anything about the child's answers, mood or
words. Nothing goes while a crisis or abuse alert is live (the carer may be the very adult a
report is about, `may_tell_carer`), nor to a carer who has not joined, cannot be reached or has
withdrawn their consent. With no carer the step does nothing; the volunteer's task follows at
its own step.

The outbox key names the child, the carer and the start of the silence, so one silence brings
one message however often the step is reached again (a restart, a replayed check-in).
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.adapters.db.models import Person
from bot.adapters.db.store import Store
from bot.domain.alerting import may_tell_carer
from bot.domain.outgoing import Outgoing
from bot.domain.people import LinkKind
from bot.services.checkins.scheduling import adult_good_hour
from bot.services.deps import Deps
from bot.services.outcome import Message

log = logging.getLogger(__name__)
KIND = "carer_silence"


async def tell_carers(deps: Deps, store: Store, child: Person, silence_since: datetime) -> int:
    """Queue the word for each carer who may hear it; returns how many were queued now."""
    if not may_tell_carer(await store.family.live_alerts(child.id)):
        log.info("child %s silent: carer not told while a crisis or abuse alert is live", child.id)
        return 0
    if not (await store.people.consent_state(child.id)).complete:
        return 0
    now = deps.clock.now()
    queued = 0
    for carer in await store.people.linked_adults(child.id, LinkKind.CARER):
        if not await _may_hear(store, carer, child):
            continue
        text = deps.texts.render("carer_silence", carer.locale, child=child.display_name)
        word = Outgoing(
            person_id=carer.id,
            chat_id=carer.telegram_id or 0,
            kind=KIND,
            send_after=adult_good_hour(deps, carer, now),
            message=Message(text),
            dedupe_key=f"{KIND}:{child.id}:{carer.id}:{int(silence_since.timestamp())}",
        )
        queued += await store.outbox.enqueue(word, now)
    log.info("child %s silent since %s: %s carer(s) told", child.id, silence_since, queued)
    return queued


async def _may_hear(store: Store, carer: Person, child: Person) -> bool:
    """Joined, reachable (has not blocked the bot or left Telegram), consent not withdrawn."""
    if carer.telegram_id is None or carer.unreachable_since is not None:
        return False
    return not await store.people.guardian_consent_withdrawn_by(carer.id, child.id)
