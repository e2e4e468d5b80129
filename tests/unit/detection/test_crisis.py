"""Crisis screen: every probe fires with its category, hyperbole and negation never fire,
method words weigh more than the bare word, and disguised or mixed scripts are seen through.
The lexicon is data in dialogs/, checked on load, and never extracted as texts to translate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.crisis_probes import CRISIS_POSITIVES, HYPERBOLE_NEGATIVES
from bot.adapters.dialogs import DIALOGS_DIR, extract_yaml, load_crisis_lexicon
from bot.domain.detection import crisis
from bot.domain.detection.crisis_lexicon import CrisisLexicon, LexiconError

LEXICON_FILE = DIALOGS_DIR / "crisis_lexicon.yaml"


def screen(text: str, lexicon: CrisisLexicon | None = None) -> crisis.CrisisFinding | None:
    """The screen with the program's lexicon unless another is given."""
    return crisis.screen(text, lexicon or load_crisis_lexicon())


def normalise(text: str) -> str:
    return crisis.normalise(text, load_crisis_lexicon())


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("text", "category"), CRISIS_POSITIVES)
def test_crisis_probes_fire_with_their_category(text, category):
    finding = screen(text)
    assert finding is not None, text
    assert finding.category == category


@pytest.mark.parametrize("text", HYPERBOLE_NEGATIVES)
def test_hyperbole_idioms_and_negation_do_not_fire(text):
    assert screen(text) is None


def test_the_probe_sets_are_big_enough_and_bilingual():
    texts = [text for text, _ in CRISIS_POSITIVES]
    for group in (texts, list(HYPERBOLE_NEGATIVES)):
        assert len(group) >= 40
        assert any(text.isascii() for text in group)
        assert any(not text.isascii() for text in group)


@pytest.mark.parametrize(
    ("bare", "with_method"),
    [
        ("我想自杀", "我想喝农药自杀"),
        ("suicide", "I took all my pills"),
        ("I'm suicidal", "I'm suicidal and I have pills"),
    ],
)
def test_method_words_weigh_more_than_the_bare_word(bare, with_method):
    plain, method = screen(bare), screen(with_method)
    assert plain is not None and method is not None
    assert method.method and not plain.method
    assert method.score > plain.score


def test_a_method_noun_alone_is_everyday_life_but_fires_beside_despair():
    assert screen("爷爷在地里打农药") is None
    finding = screen("没有人在乎我，家里有农药")
    assert finding is not None and finding.category == "self_harm" and finding.method


@pytest.mark.parametrize(
    "text",
    [
        "想　死",  # ideographic space
        "想 . 死",
        "想\u200b死",  # zero-width space
        "不想活了",
        "不 想 活 了",
        "活著沒意思",  # traditional
        "我想自殺",
        "ＫＩＬＬ ＭＹＳＥＬＦ",  # full-width Latin
        "k i l l myself",
        "I want to 死",
        "我想die",
        "k1ll mys3lf",
        "I don’t want to live",  # typographic apostrophe
    ],
)
def test_disguised_and_mixed_scripts_still_fire(text):
    finding = screen(text)
    assert finding is not None and finding.category == "self_harm", text


def test_normalise_folds_width_case_traditional_and_separators():
    assert normalise("ＡＢＣ　１２３") == "abc 123"
    assert normalise("活著 沒 意思") == "活着没意思"
    assert normalise("I DON’T") == "i don't"


def test_the_most_serious_category_leads_and_all_are_listed():
    finding = screen("同学欺负我，我不想活了")
    assert finding is not None
    assert finding.category == "self_harm"
    assert finding.categories == ("self_harm", "bullying")
    assert "不想活" in finding.matches


def test_abuse_disclosure_in_both_languages():
    assert screen("继父喝醉了就用皮带抽我").category == "abuse"
    assert screen("my stepdad hurts me").category == "abuse"


def test_the_lexicon_is_data_in_dialogs_read_once_most_serious_first():
    lexicon = load_crisis_lexicon()
    assert isinstance(lexicon, CrisisLexicon)
    assert load_crisis_lexicon() is lexicon
    assert lexicon.category_names == ("self_harm", "abuse", "bullying", "running_away")
    assert {category for _, category in CRISIS_POSITIVES} <= set(lexicon.category_names)


def test_no_chinese_words_in_the_screens_python():
    root = Path(__file__).resolve().parents[3]
    detection = root / "bot" / "domain" / "detection"
    screen_files = [
        detection / name for name in ("crisis.py", "crisis_lexicon.py", "crisis_model.py")
    ]
    for path in [*screen_files, root / "bench" / "crisis_probes.py"]:
        assert not CJK.search(path.read_text(encoding="utf-8")), path.name


def test_a_lexicon_passed_in_is_the_one_used(tmp_path):
    text = LEXICON_FILE.read_text(encoding="utf-8")
    (tmp_path / "crisis_lexicon.yaml").write_text(
        text.replace("threshold: 3", "threshold: 4"), encoding="utf-8"
    )
    strict = load_crisis_lexicon(tmp_path)
    assert screen("suicide") is not None
    assert screen("suicide", strict) is None  # the bare word (3) no longer reaches 4
    assert screen("我想喝农药", strict) is not None


def test_the_extractor_leaves_the_lexicon_out_of_the_catalog():
    with LEXICON_FILE.open("rb") as handle:
        assert list(extract_yaml(handle, None, None, None)) == []
    with (DIALOGS_DIR / "crisis.yaml").open("rb") as handle:
        assert list(extract_yaml(handle, None, None, None))  # texts elsewhere still are


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (("割腕|", "(割腕|"), r"categories\.self_harm\[0\]\.pattern: not a valid regular"),
        (("kind: word", "kind: wrod"), r"categories\.self_harm\[\d+\]\.kind: 'wrod'"),
        (("weight: 4", "weight: four"), r"categories\.self_harm\[0\]\.weight: expected a pos"),
        (("threshold: 3", "threshold: 0"), r"threshold: expected a positive whole number"),
        (("\nmasks:", "\nmask:"), r"missing keys \['masks'\], unknown keys \['mask'\]"),
        (("  abuse:", "  abuses:"), r"categories: expected exactly"),
        (("  bullying:", "  self_harm:"), r"duplicate key 'self_harm'"),
        (("\ntranslatable: false", "\ntranslatable: true"), r"translatable: false"),
        (("殺杀 ", "殺杀杀 "), r"traditional: not a pair of two characters: \['殺杀杀'\]"),
        (("threshold: 3", "threshold: [3"), r"line \d+"),  # YAML syntax: where it broke
    ],
)
def test_a_malformed_lexicon_is_refused_naming_the_file_and_field(tmp_path, change, error):
    text = LEXICON_FILE.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    (tmp_path / "crisis_lexicon.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=error) as refused:
        load_crisis_lexicon(tmp_path)
    assert str(refused.value).startswith(str(tmp_path / "crisis_lexicon.yaml"))


def test_empty_and_ordinary_text():
    assert screen("") is None
    assert screen("今天和奶奶一起包饺子，很开心！") is None
    assert screen("I played football with my friends today") is None
