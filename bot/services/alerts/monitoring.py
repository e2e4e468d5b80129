"""Feeding each ended check-in to the detector and acting on what it signals.

The detector is pure (`bot.domain.detection`); its small state per child is stored, so a restart
continues exactly where it stopped. Silence first brings a gentle retry to the child (a fresh
check-in at the next allowed time; the detector asks again after each further miss, up to a
few times, and each lapses when the next scheduled check-in opens), then a short word to the
carer at home (`carer_word`), then a task for the volunteer. A child steadily lonely gets the
standing flag (`peer_flag`), shown in the staff views and never pushed.
"""

from __future__ import annotations

from bot.adapters.db.models import Checkin, ChildProfile, Person
from bot.adapters.db.store import Store
from bot.domain.alerting import SignalAction, action_for
from bot.domain.checkin_rules import CheckinKind, CheckinStatus
from bot.domain.detection import DEFAULT_PARAMS, DetectorState, Observation, step
from bot.services.alerts import peer_flag
from bot.services.alerts.raising import raise_alert
from bot.services.deps import Deps
from bot.services.family import carer_word

ITEMS = ("companionship", "left_out", "alone")


async def observation_of(store: Store, checkin: Checkin) -> Observation:
    answers = await store.checkins.answers(checkin.id)
    values = {key: a.value for key, a in answers.items() if a.value is not None}
    items = tuple(values[k] for k in ITEMS) if all(k in values for k in ITEMS) else None
    return Observation(
        at=checkin.due_at,
        mood=values.get("mood"),
        items=items,  # type: ignore[arg-type]
        missed=checkin.status == CheckinStatus.MISSED,
        extra=checkin.kind == CheckinKind.ADHOC,  # the silence retry or a coordinator's ask
    )


async def observe(deps: Deps, store: Store, checkin: Checkin) -> None:
    """Run detection on one ended check-in (completed, incomplete or missed).

    A missed extra check-in after a departure says nothing about silence (it was an extra ask,
    on top of the child's usual ones), so only its answers count. An ad-hoc check-in (the
    silence retry, a coordinator's check-in now) is marked `extra`: missed within a silence
    it is evidence for it, and answered it ends it.
    """
    if checkin.status not in (
        CheckinStatus.COMPLETED,
        CheckinStatus.INCOMPLETE,
        CheckinStatus.MISSED,
    ):
        return
    if checkin.kind == CheckinKind.FOLLOW_UP and checkin.status == CheckinStatus.MISSED:
        return
    child = await store.get(Person, checkin.child_id)
    if child is None:
        return
    raw = await store.alerts.detector_state(child.id)
    state = DetectorState.from_dict(raw) if raw else DetectorState()
    state, signals = step(state, await observation_of(store, checkin), DEFAULT_PARAMS)
    await store.alerts.save_detector_state(child.id, state.to_dict(), deps.clock.now())
    for signal in signals:
        action = action_for(signal.reason.value, signal.severity.value)
        if action == SignalAction.RETRY:
            profile = await store.get(ChildProfile, child.id)
            if profile is not None and profile.next_checkin_at is not None:
                profile.adhoc_requested_at = deps.clock.now()
            continue
        if action == SignalAction.TELL_CARER:
            await carer_word.tell_carers(deps, store, child, signal.since or signal.at)
            continue
        if action == SignalAction.FLAG:
            await peer_flag.raise_flag(deps, store, child)
            continue
        if action == SignalAction.NOTHING:
            continue
        await raise_alert(
            deps,
            store,
            child,
            signal.reason.value,
            signal.severity.value,
            since=signal.since or signal.at,
            detail={"signal": signal.detail},
        )
