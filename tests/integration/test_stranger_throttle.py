"""A flood from one account gets a few answers, then silence (issue 9, item 4)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.people import Role
from bot.services.entry import router
from bot.services.people.enrolment import InviteRequest
from tests.helpers import child_request, invite, sender

WRONG = "B" * 22


async def test_a_stranger_who_keeps_writing_gets_a_few_replies_then_silence(core, clock):
    stranger = sender(9999, "en")
    outcomes = [await router.handle_text(core.deps, stranger, "hi") for _ in range(20)]
    answered = [o for o in outcomes if o.replies]
    assert len(answered) == core.deps.settings.stranger_replies
    assert {o.replies[0].text for o in answered} == {answered[0].replies[0].text}
    # Every kind of input draws on the same allowance.
    assert not (await router.handle_start(core.deps, stranger, None)).replies
    assert not (await router.handle_command(core.deps, stranger, "help")).replies
    assert not (await router.handle_unsupported(core.deps, stranger)).replies
    clock.advance(minutes=core.deps.settings.stranger_reply_minutes)
    again = await router.handle_text(core.deps, stranger, "hi")
    assert again.replies[0].text == answered[0].replies[0].text
    assert not (await router.handle_text(core.deps, stranger, "hi")).replies
    # Someone else is answered as ever.
    assert (await router.handle_text(core.deps, sender(8888), "hi")).replies


async def test_wrong_invites_get_one_too_many_notice_then_silence(core, clock):
    prober = sender(9999, "en")
    tries = core.deps.settings.invite_tries_per_hour
    outcomes = [await router.handle_start(core.deps, prober, WRONG) for _ in range(tries + 5)]
    texts = [o.replies[0].text if o.replies else None for o in outcomes]
    assert all("does not work" in text for text in texts[:tries])
    assert "wait an hour" in texts[tries]
    assert texts[tries + 1 :] == [None] * 4


async def test_past_the_allowance_even_a_good_code_is_not_checked(core, clock):
    """So codes cannot be guessed faster than a few an hour; an hour later it works."""
    code = await invite(core, child_request())
    child = sender(1001, "en")
    for _ in range(core.deps.settings.invite_tries_per_hour + 1):
        await router.handle_start(core.deps, child, WRONG)
    assert not (await router.handle_start(core.deps, child, code)).replies
    clock.advance(timedelta(hours=1))
    welcome = await router.handle_start(core.deps, child, code)
    assert "xiaoming" in welcome.replies[0].text


async def test_good_invites_cost_no_tries(core, clock):
    """A mother of several children opens one link for each, and is never refused."""
    tries = core.deps.settings.invite_tries_per_hour
    mum = sender(2001, "en")
    for n in range(tries + 2):
        await invite(core, child_request(f"kid{n}"))
        code = await invite(core, InviteRequest(Role.PARENT, child=f"kid{n}", name="Mum"))
        welcome = (await router.handle_start(core.deps, mum, code)).replies[0].text
        assert f"kid{n}" in welcome
    # She still has every try for a mistyped link.
    outcomes = [await router.handle_start(core.deps, mum, WRONG) for _ in range(tries)]
    assert all("does not work" in o.replies[0].text for o in outcomes)
