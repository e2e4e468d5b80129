"""What a person's next free text answers, kept on the person as "<kind>:<id>:<asked at>".

A volunteer's outcome note after "I contacted the child", a child's answer after "Reply" under a
parent's message: the question is stored with the person (so it survives a restart) and lapses
after a while, so text written much later means whatever it would mean otherwise.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def awaiting(kind: str, target_id: int, asked_at: datetime) -> str:
    return f"{kind}:{target_id}:{int(asked_at.timestamp())}"


def awaited(value: str | None, kind: str, now: datetime, wait: timedelta) -> int | None:
    """The id a text answers, if `value` asks for `kind` and was asked within `wait`."""
    if not value or not value.startswith(f"{kind}:"):
        return None
    _, target, asked_at = [*value.split(":"), "0"][:3]
    if not target.isdigit() or not asked_at.isdigit():
        return None
    if now.timestamp() - int(asked_at) > wait.total_seconds():
        return None
    return int(target)
