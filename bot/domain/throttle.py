"""How often one account may get an answer it did not earn: a stranger's, a wrong invite's.

Every reply costs a share of the bot's sending budget, which urgent alerts need too. So each
account gets a small allowance that refills slowly (a token bucket), and past it, one kind
notice at most, then silence. State is in memory, bounded: the least recently heard account is
forgotten first, and forgetting one only gives it back a fresh allowance.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

DEFAULT_MAX_ACCOUNTS = 10_000


@dataclass(frozen=True)
class Allowance:
    """`burst` answers at once, then one more each `every`."""

    burst: int
    every: timedelta

    def __post_init__(self) -> None:
        if self.burst < 1 or self.every <= timedelta(0):
            raise ValueError("an allowance needs a burst of at least 1 and a positive refill")


class Verdict(Enum):
    GO = "go"  # answer, and the allowance was spent
    TELL = "tell"  # no answer, but say once that they must wait
    SILENT = "silent"  # nothing at all


@dataclass
class _Bucket:
    tokens: float
    stamp: datetime
    told: bool = False


@dataclass
class AccountThrottle:
    """Per-account allowances, kept for at most `max_accounts` accounts (an LRU)."""

    allowance: Allowance
    max_accounts: int = DEFAULT_MAX_ACCOUNTS
    _buckets: OrderedDict[int, _Bucket] = field(default_factory=OrderedDict, repr=False)

    def take(self, account: int, now: datetime) -> Verdict:
        """Spend one answer if the account has one left; else TELL the first time, then SILENT.

        Synchronous on purpose: concurrent updates from one account cannot both see the last
        answer and spend it twice.
        """
        bucket = self._bucket(account, now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.told = False
            return Verdict.GO
        if bucket.told:
            return Verdict.SILENT
        bucket.told = True
        return Verdict.TELL

    def refund(self, account: int, now: datetime) -> None:
        """Give back what `take` spent (the attempt turned out to be a good one)."""
        bucket = self._bucket(account, now)
        bucket.tokens = min(float(self.allowance.burst), bucket.tokens + 1)

    def __len__(self) -> int:
        return len(self._buckets)

    def _bucket(self, account: int, now: datetime) -> _Bucket:
        bucket = self._buckets.get(account)
        burst = float(self.allowance.burst)
        if bucket is None:
            bucket = self._buckets[account] = _Bucket(burst, now)
            while len(self._buckets) > self.max_accounts:
                self._buckets.popitem(last=False)
            return bucket
        self._buckets.move_to_end(account)
        elapsed = max(timedelta(0), now - bucket.stamp)
        bucket.tokens = min(burst, bucket.tokens + elapsed / self.allowance.every)
        bucket.stamp = max(now, bucket.stamp)
        return bucket


@dataclass
class Throttles:
    """The allowances the router applies: answers to unknown accounts, and failed invites."""

    stranger_replies: AccountThrottle = field(
        default_factory=lambda: AccountThrottle(Allowance(5, timedelta(minutes=10)))
    )
    invite_tries: AccountThrottle = field(
        default_factory=lambda: AccountThrottle(Allowance(5, timedelta(minutes=12)))
    )

    @classmethod
    def of(cls, replies: int, reply_minutes: float, invite_tries_per_hour: int) -> Throttles:
        """From the settings: `replies` at once then one per `reply_minutes`; failed invites
        `invite_tries_per_hour` (at once, then refilled evenly over the hour)."""
        return cls(
            AccountThrottle(Allowance(replies, timedelta(minutes=reply_minutes))),
            AccountThrottle(
                Allowance(invite_tries_per_hour, timedelta(hours=1) / invite_tries_per_hour)
            ),
        )
