"""What an outcome hands to the outbox instead of to the chat it came from.

Two things must happen whatever Telegram does at that moment: a child's words leave a shared
phone's chat, and the hotlines reach a child after a crisis. Both become outbox rows in the
same transaction as the decision, so a 502, a run of 429s or a restart only delays them. Their
dedupe keys come from the input itself, so an update Telegram delivers twice queues them once.
"""

from __future__ import annotations

from bot.adapters.db.store import Store
from bot.domain.outgoing import Outgoing, Verb
from bot.services.deps import Deps
from bot.services.outcome import Outcome, Sender

# Before any alert or check-in of a round: the child is waiting for these right now.
FORGET_PRIORITY = DURABLE_REPLY_PRIORITY = 3


async def settle(deps: Deps, store: Store, sender: Sender, outcome: Outcome) -> None:
    """Queue the deletion of the person's message and any durable replies of `outcome`."""
    now = deps.clock.now()
    person_id = outcome.durable_for
    if outcome.delete_incoming and sender.message_id is not None:
        owner = person_id or await _account_holder(store, sender)
        if owner is None:  # nobody enrolled wrote it: nothing of a child's to keep private
            return
        forget = Outgoing(
            person_id=owner,
            chat_id=sender.chat_id,
            kind="forget_words",
            send_after=now,
            verb=Verb.DELETE,
            target_message_id=sender.message_id,
            priority=FORGET_PRIORITY,
            dedupe_key=f"forget:{sender.chat_id}:{sender.message_id}",
        )
        await store.outbox.enqueue(forget, now)
        outcome.delete_incoming = False  # done here; the channel must not try it again
    if person_id is None or not outcome.replies:
        return
    input_key = sender.update_id if sender.update_id is not None else f"m{sender.message_id}"
    # Without any id of the input (a core test calling directly), each call is its own reply.
    keyed = sender.update_id is not None or sender.message_id is not None
    for index, message in enumerate(outcome.replies):
        reply = Outgoing(
            person_id=person_id,
            chat_id=sender.chat_id,
            kind="durable_reply",
            send_after=now,
            message=message,
            priority=DURABLE_REPLY_PRIORITY,
            dedupe_key=f"reply:{sender.chat_id}:{input_key}:{index}" if keyed else None,
        )
        await store.outbox.enqueue(reply, now)
    outcome.replies = []


async def _account_holder(store: Store, sender: Sender) -> int | None:
    people = await store.people.people_on_account(sender.user_id)
    return people[0].id if people else None
