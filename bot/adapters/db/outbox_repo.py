"""The outbox: messages decided on and not yet confirmed sent.

The only place an `Outgoing` envelope becomes stored JSON and back. The body is versioned
(`"v": 2`); rows written before it (no "v": `edit_message_id`, `delete_message_id` or
`strip_markup_message_id` beside the text) are still read, so an upgrade sends what was queued.
What an item belongs to has columns of its own (`checkin_id`, `relay_id`); rows queued before
migration 0011 may hold the relay's id only in the body, and are read from there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.db.models import Outbox
from bot.domain.outgoing import WITH_MESSAGE, Button, Delivery, Media, Message, Outgoing, Verb

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# Per message, and short: a live sender renews the lease of what it still holds (see
# extend_leases), so a dead process's messages come back within seconds, not minutes.
LEASE = timedelta(seconds=10)
# Kinds whose copy is a live check-in (answer buttons): a send that may have gone out unrecorded
# notes the chat's known ids first, so its stray copy can be found and disarmed later.
FLOORED_KINDS = ("checkin", "reminder")
KnownId = Callable[[int], int | None]
QUEUED = "outbox_queued"
BODY_VERSION = 2
# The first layout named the target by what was done to it.
_OLD_TARGETS = {
    "edit_message_id": Verb.EDIT,
    "delete_message_id": Verb.DELETE,
    "strip_markup_message_id": Verb.STRIP_BUTTONS,
}


def body_of(item: Outgoing) -> dict[str, Any]:
    body: dict[str, Any] = {"v": BODY_VERSION, "verb": item.verb.value}
    if item.target_message_id is not None:
        body["target"] = item.target_message_id
    message = item.message
    if message is not None:
        body["text"] = message.text
        body["buttons"] = [[[b.label, b.data] for b in row] for row in message.buttons]
        if message.media is not None:
            body["media"] = {"kind": message.media.kind, "file_id": message.media.file_id}
        if message.fades_to is not None:
            body["fades_to"] = message.fades_to
    return body


def _verb_and_target(body: dict[str, Any]) -> tuple[Verb, int | None]:
    if body.get("v", 1) >= BODY_VERSION:
        target = body.get("target")
        return Verb(body["verb"]), int(target) if target is not None else None
    for key, verb in _OLD_TARGETS.items():
        if body.get(key):
            return verb, int(body[key])
    return Verb.SEND, None


def outgoing_of(row: Outbox) -> Outgoing:
    """The envelope a stored row holds, in either layout."""
    body = row.body
    verb, target = _verb_and_target(body)
    message = None
    if verb in WITH_MESSAGE:
        buttons = tuple(
            tuple(Button(label, data) for label, data in line) for line in body.get("buttons", [])
        )
        media = Media(**body["media"]) if body.get("media") else None
        message = Message(body["text"], buttons, media, body.get("fades_to"))
    relay_id = row.relay_id if row.relay_id is not None else body.get("relay_id")
    return Outgoing(
        person_id=row.person_id,
        chat_id=row.chat_id,
        kind=row.kind,
        send_after=row.send_after,
        message=message,
        verb=verb,
        target_message_id=target,
        priority=row.priority,
        dedupe_key=row.dedupe_key,
        checkin_id=row.checkin_id,
        relay_id=int(relay_id) if relay_id is not None else None,
    )


class OutboxRepo:
    """Outbox queries over one unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def queued_in(self) -> bool:
        """Whether this self.session queued anything (an alert raised by a tap, say)."""
        return bool(self.session.info.get(QUEUED))

    async def enqueue(self, item: Outgoing, now: datetime) -> bool:
        """Queue a message; False (and nothing queued) if its dedupe key was queued before."""
        if item.dedupe_key is not None:
            seen = await self.session.scalar(
                select(Outbox.id).where(Outbox.dedupe_key == item.dedupe_key)
            )
            if seen is not None:
                return False
        self.session.info[QUEUED] = (
            True  # tells the caller's channel to send now, not at the next tick
        )
        self.session.add(
            Outbox(
                person_id=item.person_id,
                chat_id=item.chat_id,
                kind=item.kind,
                body=body_of(item),
                checkin_id=item.checkin_id,
                relay_id=item.relay_id,
                dedupe_key=item.dedupe_key,
                status=PENDING,
                send_after=item.send_after,
                priority=item.priority,
                attempts=0,
                created_at=now,
            )
        )
        return True

    async def claim_due(
        self, now: datetime, limit: int, known: KnownId | None = None, above: int | None = None
    ) -> list[Delivery]:
        """Take up to `limit` messages that are due, urgent first, each leased for LEASE;
        with `above`, only those whose priority is higher.

        A lease that ran out (the process died mid-send) makes a message due again; SKIP LOCKED
        lets several workers claim at once on PostgreSQL (SQLite has one writer anyway).
        """
        due = select(Outbox).where(
            or_(Outbox.status == PENDING, Outbox.status == SENDING), Outbox.send_after <= now
        )
        if above is not None:  # only a wake into a full pipe asks; the usual claim is unchanged
            due = due.where(Outbox.priority > above)
        query = due.order_by(Outbox.priority.desc(), Outbox.send_after, Outbox.id).limit(limit)
        rows = (await self.session.scalars(query.with_for_update(skip_locked=True))).all()
        await self._note_floors([r for r in rows if r.kind in FLOORED_KINDS], known)
        claimed = []
        for row in rows:
            outgoing = outgoing_of(row)  # before the lease moves `send_after`
            row.status = SENDING
            row.send_after = now + LEASE
            row.attempts += 1
            claimed.append(
                Delivery(row.id, outgoing, row.attempts, row.message_id, row.floor_message_id)
            )
        return claimed

    async def _note_floors(self, rows: Sequence[Outbox], known: KnownId | None) -> None:
        """Before a check-in's first send, note the highest message id the bot knows in its
        chat."""
        first = [r for r in rows if r.floor_message_id is None]
        if not first:
            return
        recorded = await self.highest_recorded({r.chat_id for r in first})
        for row in first:
            seen = known(row.chat_id) if known is not None else None
            row.floor_message_id = max(recorded.get(row.chat_id) or 0, seen or 0)

    async def highest_recorded(self, chat_ids: Collection[int]) -> dict[int, int]:
        """The highest message id the outbox recorded in each chat (sent, edited or deleted)."""
        result = await self.session.execute(
            select(Outbox.chat_id, func.max(Outbox.message_id))
            .where(Outbox.chat_id.in_(chat_ids), Outbox.message_id.is_not(None))
            .group_by(Outbox.chat_id)
        )
        return {chat_id: int(top) for chat_id, top in result.all() if top is not None}

    async def recorded_between(self, chat_id: int, low: int, high: int) -> set[int]:
        """The bot's recorded message ids in a chat strictly between `low` and `high`."""
        result = await self.session.scalars(
            select(Outbox.message_id).where(
                Outbox.chat_id == chat_id, Outbox.message_id > low, Outbox.message_id < high
            )
        )
        return {int(m) for m in result.all() if m is not None}

    async def extend_leases(self, outbox_ids: Collection[int], until: datetime) -> None:
        """A live sender still holds these: keep other workers (and its own next claim) off
        them."""
        await self.session.execute(
            update(Outbox)
            .where(Outbox.id.in_(outbox_ids), Outbox.status == SENDING)
            .values(send_after=until)
        )

    async def record_message_id(self, outbox_id: int, message_id: int) -> None:
        """The first thing written after Telegram answers: a re-claim then re-sends nothing."""
        await self.session.execute(
            update(Outbox).where(Outbox.id == outbox_id).values(message_id=message_id)
        )

    async def mark_sent(self, outbox_id: int, message_id: int | None, now: datetime) -> None:
        await self.session.execute(
            update(Outbox)
            .where(Outbox.id == outbox_id)
            .values(status=SENT, message_id=message_id, sent_at=now, last_error=None)
        )

    async def mark_retry(
        self, outbox_id: int, when: datetime, error: str, refund: bool = False
    ) -> None:
        """Due again at `when`; `refund` gives back the attempt the claim counted (a rate
        limit)."""
        values: dict[str, Any] = {"status": PENDING, "send_after": when, "last_error": error[:200]}
        if refund:
            values["attempts"] = Outbox.attempts - 1
        await self.session.execute(update(Outbox).where(Outbox.id == outbox_id).values(**values))

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        await self.session.execute(
            update(Outbox)
            .where(Outbox.id == outbox_id)
            .values(status=FAILED, last_error=error[:200])
        )

    async def next_due_at(self) -> datetime | None:
        return await self.session.scalar(
            select(Outbox.send_after)
            .where(or_(Outbox.status == PENDING, Outbox.status == SENDING))
            .order_by(Outbox.send_after)
            .limit(1)
        )
