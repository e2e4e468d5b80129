"""When a relayed family message may be released, decided over plain values.

A message waits in the database until its recipient may get it: never while a coordinator's
pause or a withdrawn guardian consent holds it, not while the child has muted family messages,
not to someone who has not joined or blocked the bot, and only at the recipient's allowed hour
(for a child: outside school and the night; for a parent: outside their night and working
hours). The same rules are asked when a message arrives and again when its moment comes, since
a tick may run late and a pause or a mute may have begun in between. The callers look the facts
up; these functions only decide, so every case is a unit test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.relay import RelayStatus

# A child who has not joined yet, or someone who blocked the bot: look again this much later.
UNREACHABLE_RETRY = timedelta(hours=12)

Hours = Callable[[datetime], datetime]
"""The recipient's first allowed moment at or after a time (their own clock and rules)."""


@dataclass(frozen=True)
class Recipient:
    """What the release rule needs to know about whoever a message is for."""

    is_child: bool
    joined: bool  # has a Telegram chat with the bot
    unreachable: bool = False  # blocked the bot (it may come back with /start)
    muted_until: datetime | None = None  # a child's own mute of family messages

    def muted(self, now: datetime) -> bool:
        return self.muted_until is not None and self.muted_until > now


class Step(StrEnum):
    RELEASE = "release"  # to the outbox now
    WAIT = "wait"  # stay queued until `Decision.at`
    HOLD = "hold"  # paused or consent withdrawn: kept for the social worker, not sent
    FAIL = "fail"  # nobody to deliver it to


@dataclass(frozen=True)
class Decision:
    step: Step
    at: datetime | None = None  # the new moment to look again, for WAIT


def at_its_moment(
    recipient: Recipient | None, held: bool, hours: Hours, now: datetime
) -> Decision:
    """A queued message whose moment came: checked again in both directions."""
    if recipient is None:
        return Decision(Step.FAIL)
    if held:
        return Decision(Step.HOLD)
    if not recipient.joined or recipient.unreachable:
        return Decision(Step.WAIT, now + UNREACHABLE_RETRY)  # not joined yet, or blocked
    if recipient.is_child and recipient.muted_until is not None and recipient.muted(now):
        return Decision(Step.WAIT, hours(recipient.muted_until))
    allowed = hours(now)
    if allowed > now:
        return Decision(Step.WAIT, allowed)
    return Decision(Step.RELEASE)


class Told(StrEnum):
    """What a parent is told about one child's copy of their message."""

    SOON = "soon"  # released at once
    AT = "at"  # at the child's next allowed hour, named
    LATER = "later"  # the child muted family messages: the parent is not told why
    NOT_JOINED = "not_joined"
    PAUSED = "paused"  # a coordinator's pause or withdrawn consent


@dataclass(frozen=True)
class Arrival:
    """What becomes of a message as it is written."""

    status: RelayStatus
    deliver_after: datetime | None
    release_now: bool
    told: Told = Told.SOON


def from_parent(child: Recipient, held: bool, hours: Hours, now: datetime) -> Arrival:
    """A parent's message for one child: held, queued for the child's allowed hour, or sent.

    A muted or not yet joined child's copy is queued for the next allowed hour all the same:
    the tick looks again then (and moves it past the mute).
    """
    if held:
        return Arrival(RelayStatus.HELD, None, release_now=False, told=Told.PAUSED)
    after = hours(now)
    if not child.joined:
        return Arrival(RelayStatus.QUEUED, after, release_now=False, told=Told.NOT_JOINED)
    if child.muted(now):
        return Arrival(RelayStatus.QUEUED, after, release_now=False, told=Told.LATER)
    if after > now:
        return Arrival(RelayStatus.QUEUED, after, release_now=False, told=Told.AT)
    return Arrival(RelayStatus.QUEUED, after, release_now=True)


def from_child(held: bool, hours: Hours, now: datetime) -> Arrival:
    """A child's answer to a parent: for the parent's good hour, unless the pair is held."""
    after = hours(now)
    if held:
        return Arrival(RelayStatus.HELD, after, release_now=False, told=Told.PAUSED)
    return Arrival(RelayStatus.QUEUED, after, release_now=after <= now)


def after_refusal(blocked: bool, now: datetime) -> Decision:
    """Telegram refused a message: a blocked recipient may come back, any other refusal is
    for good."""
    if blocked:
        return Decision(Step.WAIT, now + UNREACHABLE_RETRY)
    return Decision(Step.FAIL)


def words_for_parent(awaited_relay_id: int | None, checkin_waits_for_words: bool) -> int | None:
    """The parent's message a child's text answers after "Reply", if it answers one.

    Words a check-in on the phone (a sibling's too) is waiting for stay with the check-in:
    those are for the volunteer, never a parent.
    """
    if awaited_relay_id is None or checkin_waits_for_words:
        return None
    return awaited_relay_id
