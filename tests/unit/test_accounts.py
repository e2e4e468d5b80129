"""Who may share a Telegram account, and whose taps count as a guardian's consent."""

from __future__ import annotations

import pytest

from bot.domain.accounts import (
    JoinRefusal,
    account_reference,
    join_refusal,
    may_give_guardian_consent,
)
from bot.domain.people import Role

CHILD, PARENT, VOLUNTEER, COORDINATOR = Role.CHILD, Role.PARENT, Role.VOLUNTEER, Role.COORDINATOR


@pytest.mark.parametrize(
    ("held", "joining", "refusal"),
    [
        ((), PARENT, None),
        ((CHILD,), CHILD, None),  # siblings on a grandparent's phone
        ((PARENT,), PARENT, None),  # a parent invited once per child
        ((VOLUNTEER,), COORDINATOR, None),
        ((CHILD,), PARENT, JoinRefusal.ADULT_ON_CHILD_ACCOUNT),  # parent or carer invite
        ((CHILD, CHILD), PARENT, JoinRefusal.ADULT_ON_CHILD_ACCOUNT),
        ((PARENT,), CHILD, JoinRefusal.CHILD_ON_ADULT_ACCOUNT),
        ((CHILD,), VOLUNTEER, JoinRefusal.STAFF_AND_FAMILY),
        ((COORDINATOR,), CHILD, JoinRefusal.STAFF_AND_FAMILY),
        ((COORDINATOR,), PARENT, JoinRefusal.STAFF_AND_FAMILY),
    ],
)
def test_an_account_is_a_childs_or_an_adults_never_both(held, joining, refusal):
    assert join_refusal(held, joining) == refusal


def test_guardian_consent_never_counts_from_an_account_holding_a_child():
    assert may_give_guardian_consent([PARENT])
    assert not may_give_guardian_consent([PARENT, CHILD])
    assert not may_give_guardian_consent(iter([CHILD, PARENT]))


def test_account_reference_is_short_stable_and_hides_the_id():
    ref = account_reference(2_000_000_001)
    assert ref == account_reference(2_000_000_001) != account_reference(2_000_000_002)
    assert len(ref) == 6 and "2000" not in ref
