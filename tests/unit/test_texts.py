"""Catalogs complete and current, templates escaped, and the channel seam kept."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.adapters.texts import LOCALE_DIR, TEMPLATES_DIR, Texts

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?([a-z-]+)")


def _catalog(locale: str):
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_pot_is_current_with_dialogs(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert extracted == committed, "run `make i18n` and translate the new texts"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_catalog_covers_the_template(locale):
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    have = {m.id for m in _catalog(locale) if m.id}
    assert wanted <= have, "run `make i18n`"


def test_chinese_catalog_is_complete_and_keeps_placeholders_and_tags():
    for message in _catalog("zh_CN"):
        if not message.id:
            continue
        assert message.string and not message.fuzzy, f"untranslated: {message.id!r}"
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string))
        assert sorted(TAG.findall(message.id)) == sorted(TAG.findall(message.string))


def test_every_template_has_been_extracted():
    names = {p.stem for p in TEMPLATES_DIR.glob("*.j2")}
    assert {"checkin_step", "consent_request", "stranger", "help"} <= names


def test_user_supplied_values_are_escaped_for_telegram_html():
    texts = Texts(("zh_CN", "en"), "zh_CN")
    html = texts.render("assigned", "en", volunteer="<b>Wang</b> & co", child='"Ming"')
    assert "&lt;b&gt;Wang&lt;/b&gt; &amp; co" in html and "<b>" not in html


def test_rendering_uses_the_person_language_and_falls_back_to_default():
    texts = Texts(("zh_CN", "en"), "zh_CN")
    english = texts.render("stranger", "en")
    chinese = texts.render("stranger", "zh_CN")
    assert english != chinese and re.search(r"[\u4e00-\u9fff]", chinese)
    assert texts.render("stranger", "xx") == chinese


def test_a_hard_cut_never_splits_an_html_escape() -> None:
    from bot.telegram.mapping import split_text

    line = "a" * 4094 + "&amp;" + "b" * 10
    pieces = split_text(line)
    assert pieces[0] == "a" * 4094
    assert pieces[1].startswith("&amp;")
    assert "".join(pieces) == line
