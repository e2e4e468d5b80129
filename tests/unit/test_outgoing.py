"""The outgoing envelope: what it may hold, and its stored JSON in both layouts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapters.db import outbox_repo
from bot.adapters.db.models import Outbox
from bot.domain.outgoing import Button, Media, Message, Outgoing, Verb

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _item(**fields: object) -> Outgoing:
    values: dict[str, object] = {
        "person_id": 7,
        "chat_id": 1001,
        "kind": "alert",
        "send_after": NOW,
        "message": Message("hello"),
    }
    values.update(fields)
    return Outgoing(**values)


def _row(item: Outgoing | None = None, body: dict | None = None, **columns: object) -> Outbox:
    """A row as the repository stores it, or with a body written by hand (an old layout)."""
    values: dict[str, object] = {
        "person_id": 7,
        "chat_id": 1001,
        "kind": "alert",
        "send_after": NOW,
        "priority": 0,
        "dedupe_key": None,
        "checkin_id": None,
        "relay_id": None,
        "body": body if body is not None else outbox_repo.body_of(item),
    }
    if item is not None:
        values.update(
            person_id=item.person_id,
            chat_id=item.chat_id,
            kind=item.kind,
            send_after=item.send_after,
            priority=item.priority,
            dedupe_key=item.dedupe_key,
            checkin_id=item.checkin_id,
            relay_id=item.relay_id,
        )
    values.update(columns)
    return Outbox(**values)


def test_an_envelope_says_what_it_does_and_refuses_what_makes_no_sense():
    assert _item().verb == Verb.SEND
    with pytest.raises(ValueError):
        _item(verb=Verb.EDIT)  # an edit names the message it edits
    with pytest.raises(ValueError):
        _item(target_message_id=5)  # a new message has no target
    with pytest.raises(ValueError):
        _item(verb=Verb.DELETE, target_message_id=5)  # a deletion carries no text
    assert _item(message=None, verb=Verb.DELETE, target_message_id=5).message is None
    assert _item(message=Message("x", fades_to="y")).fades_later
    assert not _item(
        message=Message("x", fades_to="y"), verb=Verb.EDIT, target_message_id=3
    ).fades_later


@pytest.mark.parametrize(
    "item",
    [
        _item(
            message=Message(
                "<b>URGENT</b>",
                ((Button("Acknowledge", "a:1:ack"), Button("Snooze", "a:1:snz")),),
                Media("voice", "AwAC"),
                fades_to="neutral",
            ),
            priority=2,
            dedupe_key="alert:1:0:0:7",
        ),
        _item(kind="relay", relay_id=12, message=Message("from Mum", media=Media("photo", "Ph"))),
        _item(kind="checkin_closed", verb=Verb.EDIT, target_message_id=41, checkin_id=3),
        _item(kind="forget_words", message=None, verb=Verb.DELETE, target_message_id=42),
        _item(kind="retire_copy", message=None, verb=Verb.STRIP_BUTTONS, target_message_id=43),
    ],
    ids=["send", "relay", "edit", "delete", "strip"],
)
def test_what_the_repository_stores_it_reads_back(item: Outgoing):
    row = _row(item)
    assert row.body["v"] == outbox_repo.BODY_VERSION
    assert outbox_repo.outgoing_of(row) == item


def test_the_relays_id_has_a_column_and_rows_from_before_it_keep_theirs_in_the_body():
    item = _item(kind="relay", relay_id=12, message=Message("from Mum"))
    assert "relay_id" not in outbox_repo.body_of(item)
    before_0011 = _row(body={**outbox_repo.body_of(item), "relay_id": 12}, kind="relay")
    assert outbox_repo.outgoing_of(before_0011) == item
    assert outbox_repo.outgoing_of(_row(item, relay_id=12)) == item


def test_rows_written_before_the_envelope_are_still_read():
    """Bodies of the first layout: the target named by what was done to it, the relay's id
    beside the text, buttons missing when there were none."""
    edit = outbox_repo.outgoing_of(
        _row(
            body={"text": "closed", "buttons": [], "edit_message_id": 41},
            kind="checkin_closed",
            checkin_id=3,
        )
    )
    assert (edit.verb, edit.target_message_id, edit.checkin_id) == (Verb.EDIT, 41, 3)
    assert edit.message == Message("closed")
    delete = outbox_repo.outgoing_of(_row(body={"delete_message_id": 42}, kind="forget_words"))
    assert (delete.verb, delete.target_message_id, delete.message) == (Verb.DELETE, 42, None)
    strip = outbox_repo.outgoing_of(_row(body={"strip_markup_message_id": 43}))
    assert (strip.verb, strip.target_message_id) == (Verb.STRIP_BUTTONS, 43)
    relay = outbox_repo.outgoing_of(
        _row(
            body={
                "text": "from Mum",
                "buttons": [[["❤️", "q:12:heart"]]],
                "media": {"kind": "voice", "file_id": "AwAC"},
                "relay_id": 12,
            },
            kind="relay",
        )
    )
    assert relay.verb == Verb.SEND and relay.relay_id == 12
    assert relay.message == Message(
        "from Mum", ((Button("❤️", "q:12:heart"),),), Media("voice", "AwAC")
    )
    faded = outbox_repo.outgoing_of(_row(body={"text": "help", "fades_to": "hi"}))
    assert faded.message == Message("help", fades_to="hi") and faded.fades_later
