"""Switches a coordinator turns in chat for the whole program, kept in the database.

Today one: whether parents' weekly updates describe the child's mood in words (`/moodwords`).
Some programs prefer parents hear about mood only from the social worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.adapters.db.models import Person, ProgramSetting
from bot.adapters.db.store import Store
from bot.services.deps import Deps
from bot.services.errors import UserError
from bot.services.outcome import Outcome, Sender

MOOD_WORDS = "mood_words"
ON, OFF = "on", "off"
DEFAULTS = {MOOD_WORDS: ON}


async def get_switch(store: Store, key: str) -> bool:
    row = await store.get(ProgramSetting, key)
    return (row.value if row is not None else DEFAULTS[key]) == ON


async def set_switch(deps: Deps, store: Store, key: str, on: bool) -> None:
    value, now = ON if on else OFF, deps.clock.now()
    row = await store.get(ProgramSetting, key)
    if row is None:
        store.add(ProgramSetting(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


async def _last_done(store: Store, key: str) -> datetime | None:
    """When a periodic chore (e.g. forgetting old message content) last ran."""
    row = await store.get(ProgramSetting, key)
    return row.updated_at if row is not None else None


async def _mark_done(store: Store, key: str, now: datetime) -> None:
    row = await store.get(ProgramSetting, key)
    if row is None:
        store.add(ProgramSetting(key=key, value="done", updated_at=now))
    else:
        row.updated_at = now


async def claim_chore(store: Store, key: str, every: timedelta, now: datetime) -> bool:
    """Whether a periodic chore is due (at most once per `every`); if so, mark it done now, in
    the caller's transaction, so the mark and the chore's work commit or roll back together."""
    last = await _last_done(store, key)
    if last is not None and now - last < every:
        return False
    await _mark_done(store, key, now)
    return True


async def mood_words_command(
    deps: Deps, store: Store, sender: Sender, people: list[Person], args: list[str]
) -> Outcome:
    """`/moodwords on|off`; without an argument it says how the switch stands."""
    if len(args) > 1 or (args and args[0].casefold() not in (ON, OFF)):
        raise UserError("moodwords_usage")
    changed = bool(args)
    if changed:
        await set_switch(deps, store, MOOD_WORDS, args[0].casefold() == ON)
    on = await get_switch(store, MOOD_WORDS)
    text = deps.texts.render("mood_words_switch", people[0].locale, on=on, changed=changed)
    return Outcome.reply(text)
