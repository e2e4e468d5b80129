"""A child's check-in words and voice notes reach their volunteer and coordinators, and no one
else: /child and alert cards, the listen button, the quiet voice notice, retention, the log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.adapters.db.models import AccessLog, Answer, Checkin
from bot.domain.child_words import WORDS_CLIP, WORDS_RETENTION, shorten
from bot.domain.people import Role
from bot.services.checkins import child_words
from bot.services.entry import router
from bot.services.outcome import Outcome, Sender
from tests.helpers import (
    COORDINATOR_TG,
    VOLUNTEER_TG,
    alert_rows,
    answer_checkin,
    enrol_consented_child,
    next_checkin,
    outbox_rows,
    program_with_volunteer,
    sender,
    staff,
)

CHILD_TG, PARENT_TG, OTHER_VOLUNTEER_TG = 1001, 2001, 3002


async def finish_with(
    core, clock, child_id: int, text: str | None = None, voice: str | None = None, mood=3
) -> Checkin:
    """Open the child's next check-in, tap through it and end it with words or a voice note."""
    checkin = await next_checkin(core, clock, child_id)
    me = sender(CHILD_TG)
    for step, value in (("mood", mood), ("companionship", 1), ("left_out", 1), ("alone", 1)):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    if voice is not None:
        await router.handle_voice(core.deps, me, voice, caption=text)
    else:
        assert text is not None
        await router.handle_text(core.deps, me, text)
    return checkin


async def child_view(core, tg: int = VOLUNTEER_TG) -> Outcome:
    return await router.handle_command(core.deps, sender(tg, "en"), "child", "xiaoming")


def buttons(outcome: Outcome) -> list[tuple[str, str]]:
    return [(b.label, b.data) for row in outcome.replies[0].buttons for b in row]


async def access_actions(core) -> list[str]:
    async with core.deps.stores.sessions() as session:
        rows = await session.scalars(select(AccessLog).order_by(AccessLog.id))
        return [row.action for row in rows.all()]


async def test_child_view_shows_the_newest_words_escaped_dated_and_cut(core, clock):
    child_id = await program_with_volunteer(core)
    long_words = "我想妈妈" + "😀" * 400
    for n in range(6):
        await finish_with(core, clock, child_id, f"words {n}")
    await finish_with(core, clock, child_id, long_words)
    await finish_with(core, clock, child_id, "<b>hi</b> & bye")
    view = await child_view(core)
    text = view.replies[0].text
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in text and "<b>hi</b>" not in text
    assert "The child's own words" in text
    assert text.index("&lt;b&gt;hi") < text.index("我想妈妈") < text.index("words 5")
    assert "words 3" in text and "words 2" not in text  # the newest five only
    assert shorten(long_words) in text and shorten(long_words).endswith("…")
    assert long_words not in text and "PM" in text  # dated on the reader's clock and language
    assert buttons(view) == []  # no voice note: nothing to listen to
    assert (await access_actions(core))[-1] == "view_record_words"


def test_words_are_cut_counting_as_telegram_does():
    assert shorten("a" * WORDS_CLIP) == "a" * WORDS_CLIP
    cut = shorten("😀" * WORDS_CLIP)
    assert cut == "😀" * ((WORDS_CLIP - 1) // 2) + "…"  # an emoji is two units, never halved


async def test_nothing_past_retention_is_shown_and_the_purge_forgets_it(core, clock):
    child_id = await program_with_volunteer(core)
    await finish_with(core, clock, child_id, "old words")
    await finish_with(core, clock, child_id, voice="voice-old")
    clock.advance(days=WORDS_RETENTION.days + 1)
    view = await child_view(core)
    assert "old words" not in view.replies[0].text and buttons(view) == []
    assert (await access_actions(core))[-1] == "view_record"  # nothing of the words shown
    async with core.deps.stores.sessions() as session:
        answer_id = (
            await session.scalars(select(Answer.id).where(Answer.file_id.is_not(None)))
        ).one()
    refused = await router.handle_button(core.deps, sender(VOLUNTEER_TG, "en"), f"lv:{answer_id}")
    assert refused.refused and refused.toast == "This button no longer works."
    await child_words.forget_old_words(core.deps)
    async with core.deps.stores.sessions() as session:
        kept = (await session.scalars(select(Answer).where(Answer.question == "words"))).all()
    assert [(a.text, a.file_id, a.media_kind) for a in kept] == [(None, None, None)] * 2
    fresh = await finish_with(core, clock, child_id, "new words")
    await child_words.forget_old_words(core.deps)
    assert "new words" in (await child_view(core)).replies[0].text
    assert fresh.id


async def test_a_voice_note_is_offered_and_sent_to_the_volunteer_marked_not_screened(core, clock):
    child_id = await program_with_volunteer(core)
    await finish_with(core, clock, child_id, voice="AwACAgVoice1", text="听我说")
    view = await child_view(core)
    assert "voice note" in view.replies[0].text and "听我说" in view.replies[0].text
    ((label, data),) = buttons(view)
    assert label.startswith("🎧 Listen") and data.startswith("lv:")
    tap = Sender(VOLUNTEER_TG, VOLUNTEER_TG, language_code="en", update_id=77)
    heard = await router.handle_button(core.deps, tap, data)
    assert not heard.refused and heard.toast == "The voice note is on its way."
    await router.handle_button(core.deps, tap, data)  # the same tap delivered again
    sent = [r for r in await outbox_rows(core) if r.kind == "voice_listen"]
    assert len(sent) == 1 and sent[0].chat_id == VOLUNTEER_TG
    assert sent[0].body["media"] == {"kind": "voice", "file_id": "AwACAgVoice1"}
    assert "Not screened" in sent[0].body["text"] and "xiaoming" in sent[0].body["text"]
    assert (await access_actions(core))[-2:] == ["voice", "voice"]


async def test_only_the_childs_volunteer_and_coordinators_may_listen(core, clock):
    child_id = await program_with_volunteer(core)
    await enrol_consented_child(core, "xiaohong", child_tg=1002, parent_tg=2002)
    await staff(core, Role.VOLUNTEER, "Zhao", OTHER_VOLUNTEER_TG, child="xiaohong")
    await finish_with(core, clock, child_id, voice="AwACAgVoice2")
    data = buttons(await child_view(core))[0][1]
    for tg in (OTHER_VOLUNTEER_TG, PARENT_TG, CHILD_TG, 9999):
        refused = await router.handle_button(core.deps, sender(tg, "en"), data)
        assert refused.refused, tg
    forged = await router.handle_button(core.deps, sender(VOLUNTEER_TG, "en"), "lv:99999")
    assert forged.refused and forged.toast == "This button no longer works."
    coordinator = await router.handle_button(core.deps, sender(COORDINATOR_TG, "en"), data)
    assert not coordinator.refused
    assert "could not find" in (await child_view(core, OTHER_VOLUNTEER_TG)).replies[0].text
    listened = [r for r in await outbox_rows(core) if r.kind == "voice_listen"]
    assert [r.chat_id for r in listened] == [COORDINATOR_TG]


async def test_a_voice_note_brings_a_quiet_notice_at_the_volunteers_good_hour(core, clock):
    child_id = await program_with_volunteer(core)
    checkin = await next_checkin(core, clock, child_id)
    me = sender(CHILD_TG)
    for step, value in (("mood", 3), ("companionship", 1), ("left_out", 1), ("alone", 1)):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    clock.set(checkin.due_at + timedelta(hours=5))  # 22:30 in Shanghai: the volunteer's night
    await router.handle_voice(core.deps, me, "AwACAgVoice3")
    await router.handle_voice(core.deps, me, "AwACAgVoice3")  # nothing waits for words now
    rows = await outbox_rows(core)
    (notice,) = [r for r in rows if r.kind == "voice_notice"]
    assert notice.chat_id == VOLUNTEER_TG and notice.priority == 0
    local = notice.send_after.astimezone(core.deps.settings.tz)
    assert (local.hour, local.minute) == (7, 30) and local.date() > checkin.due_at.date()
    assert "xiaoming" in notice.body["text"] and "voice note" in notice.body["text"]
    assert notice.body["buttons"][0][0][1].startswith("lv:")
    assert alert_rows(rows, VOLUNTEER_TG) == [] and alert_rows(rows, COORDINATOR_TG) == []
    assert not [r for r in rows if r.kind == "voice_notice" and r.chat_id != VOLUNTEER_TG]


async def test_alert_cards_show_the_words_and_log_the_look(core, clock):
    child_id = await program_with_volunteer(core)
    for _ in range(8):  # a level rule waits for the child's usual: eight happy check-ins first
        await answer_checkin(core, clock, child_id, CHILD_TG, mood=4, items=(1, 1, 1))
    await finish_with(core, clock, child_id, "today was <hard>", mood=1)
    await finish_with(core, clock, child_id, voice="AwACAgVoice4", mood=1)
    (card,) = alert_rows(await outbox_rows(core), VOLUNTEER_TG)
    assert "today was &lt;hard&gt;" in card.body["text"] and "voice note" in card.body["text"]
    datas = [data for row in card.body["buttons"] for _label, data in row]
    assert any(d.startswith("v:") for d in datas) and any(d.startswith("lv:") for d in datas)
    assert "alert_words" in await access_actions(core)


async def test_crisis_words_are_marked_and_not_shown_twice_on_their_alert(core, clock):
    child_id = await program_with_volunteer(core)
    await finish_with(core, clock, child_id, "我不想活了")
    rows = await outbox_rows(core)
    (card,) = alert_rows(rows, VOLUNTEER_TG)
    assert card.body["text"].count("我不想活了") == 1
    text = (await child_view(core)).replies[0].text
    assert "我不想活了" in text and "(sent as an urgent alert)" in text


async def test_parents_never_get_the_words_or_the_voice(core, clock):
    child_id = await program_with_volunteer(core)
    await finish_with(core, clock, child_id, "secret words")
    await finish_with(core, clock, child_id, voice="AwACAgVoice5")
    parent = await router.handle_command(core.deps, sender(PARENT_TG, "en"), "child", "xiaoming")
    assert "secret" not in parent.replies[0].text
    for row in await outbox_rows(core):
        if row.chat_id in (PARENT_TG, CHILD_TG):
            assert "secret words" not in row.body.get("text", "")
            assert "AwACAgVoice5" not in str(row.body)


async def test_an_audio_file_goes_back_as_audio(core, clock):
    """Telegram sends a file back only by the method of its own kind."""
    child_id = await program_with_volunteer(core)
    checkin = await next_checkin(core, clock, child_id)
    me = sender(CHILD_TG)
    for step, value in (("mood", 3), ("companionship", 1), ("left_out", 1), ("alone", 1)):
        await router.handle_button(core.deps, me, f"c:{checkin.id}:{step}:{value}")
    await router.handle_voice(core.deps, me, "CQACAgAudio1", kind="audio")
    data = buttons(await child_view(core))[0][1]
    await router.handle_button(core.deps, sender(VOLUNTEER_TG, "en"), data)
    (sent,) = [r for r in await outbox_rows(core) if r.kind == "voice_listen"]
    assert sent.body["media"] == {"kind": "audio", "file_id": "CQACAgAudio1"}
