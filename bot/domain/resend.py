"""Where a check-in that may have been sent twice left its stray copy.

Telegram gives a bot no way to list a chat, but message ids in a private chat are shared by
both sides and only grow. A send that went out unrecorded (the process died before writing
its id down) therefore has an id above the floor noted before that send and below the id of
the re-send. The ids in between are the child's own messages, the bot's recorded sends, and
possibly the stray copy; only its inline keyboard is removed, never the message itself, so a
wrong guess costs at most a button (and Telegram refuses to edit the child's own messages).
"""

from __future__ import annotations

from collections.abc import Collection

STRAY_CAP = 4  # a lost send is one message (rarely a few after repeated timeouts)


def may_have_gone_out(attempts: int, floor: int | None) -> bool:
    """An earlier attempt ended without an answer: a lease that ran out, or a timeout.

    A rate limit gives its attempt back and a refusal ends the message, so a claim counting
    more than one attempt is the only sign that an earlier one may have been delivered.
    """
    return floor is not None and attempts > 1


def stray_candidates(
    floor: int, resent: int, recorded: Collection[int], cap: int = STRAY_CAP
) -> list[int]:
    """Ids strictly between `floor` and `resent` that are not the bot's recorded sends.

    Newest first: the stray copy went out just before the process died, and the restart
    re-sends within seconds, so little lies between it and the re-send; older ids are more
    likely the child's own messages or earlier replies.
    """
    found: list[int] = []
    for message_id in range(resent - 1, floor, -1):
        if len(found) >= cap:
            break
        if message_id not in recorded:
            found.append(message_id)
    return found
