"""The crisis screen's n-gram model: data in dialogs/, validated on load, trained on the files it
names, and scored in plain Python exactly as scikit-learn scores the trained model."""

from __future__ import annotations

import json

import pytest

from bench.crisis_training_data import training_probes, training_sha256
from bench.train_crisis_model import MODEL_FILE, fit, load_word_classes
from bot.adapters.dialogs import load_crisis_lexicon, load_crisis_model
from bot.domain.detection import EVERYDAY, PLEASE_READ, URGENT, assess
from bot.domain.detection.crisis import normalise
from bot.domain.detection.crisis_model import (
    CrisisModel,
    ModelError,
    all_features,
    features,
    score,
)

TEXTS = [
    "我不想活了",
    "今天和奶奶一起包饺子，很开心！",
    "爸爸喝醉了又打我 别告诉别人",
    "同学们都不跟我玩 还抢我的钱",
    "我想去城里找妈妈 偷偷坐车走",
    "I played football with my friends today",
    "nobody would miss me if I was gone",
    "",
]


def test_the_model_is_data_in_dialogs_read_once_and_trained_on_these_probes():
    model = load_crisis_model()
    assert isinstance(model, CrisisModel)
    assert load_crisis_model() is model
    assert model.categories == load_crisis_lexicon().category_names
    assert model.training_sha256 == training_sha256()  # retrain after changing the probes
    assert 0 < model.low <= model.high < 1
    assert MODEL_FILE.stat().st_size < 600 * 1024


def test_the_pure_python_scores_are_the_trained_models():
    pytest.importorskip("sklearn")
    lexicon, shipped = load_crisis_lexicon(), load_crisis_model()
    params = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["params"]
    sources, classes = load_word_classes()
    data, pipeline = fit(training_probes(), params["c"], lexicon, classes, sources)
    assert data["weights"] == {g: list(w) for g, w in shipped.weights.items()}  # deterministic
    assert data["class_weights"] == {g: list(w) for g, w in shipped.class_weights.items()}
    assert data["bias"] == list(shipped.bias)
    everyday = list(pipeline.classes_).index(EVERYDAY)
    for text in TEXTS:
        clean = normalise(text, lexicon)
        grams = all_features(clean, shipped.ngram_max, shipped.word_classes)
        expected = 1 - pipeline.predict_proba([grams])[0][everyday]
        assert score(clean, shipped).score == pytest.approx(expected, abs=1e-9), text


def test_features_are_distinct_ngrams_worth_one_over_their_root():
    got = features("ab", 2)
    assert set(got) == {"a", "b", " a", "ab", "b "}
    assert all(value == pytest.approx(5**-0.5) for value in got.values())
    assert features("", 4) == {}


def test_the_lexicon_is_urgent_and_the_model_adds_its_bands():
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    crisis = assess("我不想活了", lexicon, model)
    assert crisis.level == URGENT and crisis.finding is not None
    assert crisis.category == "self_harm"
    ordinary = assess("今天和奶奶一起包饺子，很开心！", lexicon, model)
    assert ordinary.level == EVERYDAY and ordinary.category is None
    import dataclasses

    unsure = dataclasses.replace(model, low=1e-9, high=1 - 1e-9)
    middle = assess("今天和奶奶一起包饺子，很开心！", lexicon, unsure)
    assert middle.level == PLEASE_READ and middle.category in model.categories
    sure = dataclasses.replace(model, low=1e-9, high=1e-9)
    assert assess("今天和奶奶一起包饺子，很开心！", lexicon, sure).level == URGENT


def test_a_lexicon_hit_of_no_sure_kind_is_urgent_only_at_or_above_the_floor():
    import dataclasses

    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    assert "method" in model.lexicon_sure  # a named method is always urgent
    bare = assess("自杀", lexicon, model).finding  # the bare word, no method or intent
    assert bare is not None and bare.kinds == ("word",)
    trusting = dataclasses.replace(model, lexicon_floor=1e-9, lexicon_sure=frozenset())
    assert assess("自杀", lexicon, trusting).level == URGENT
    doubting = dataclasses.replace(model, lexicon_floor=1 - 1e-9)
    assert assess("自杀", lexicon, doubting).level == PLEASE_READ  # read, never lost
    method = assess("我偷偷喝了农药", lexicon, doubting)
    assert method.level == URGENT and method.finding is not None and method.finding.method


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.pop("high"), r"missing keys \['high'\]"),
        (lambda d: d.update(extra=1), r"unknown keys \['extra'\]"),
        (lambda d: d.update(low=0.9, high=0.5), r"low \(0.9\) must not be above high"),
        (lambda d: d.update(high=1.5), r"high: expected a number between 0 and 1"),
        (lambda d: d.update(categories=["self_harm"]), r"categories: expected each"),
        (lambda d: d.update(bias=[0, 0]), r"bias: expected 4 finite numbers"),
        (lambda d: d["weights"].update({"死": [1, 2]}), r"weights\['死'\]: expected 4"),
        (lambda d: d["weights"].update({"toolong": [0, 0, 0, 0]}), r"not an n-gram of 1..4"),
        (lambda d: d.update(ngram_max=True), r"ngram_max: expected a whole number"),
        (lambda d: d.update(lexicon_floor=0), r"lexicon_floor: expected a number between"),
        (lambda d: d["word_classes"].update(x="("), r"word_classes: x: not a valid regular"),
        (lambda d: d["class_weights"].update(nope=[0, 0, 0, 0]), r"'nope' is not 1\.\.3 known"),
        (lambda d: d["class_weights"].update(self=[0]), r"class_weights\['self'\]: expected 4"),
    ],
)
def test_a_malformed_model_is_refused_naming_the_file_and_field(tmp_path, change, error):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "crisis_model.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match=error) as refused:
        load_crisis_model(tmp_path)
    assert str(refused.value).startswith(str(tmp_path / "crisis_model.json"))


def test_a_model_file_that_is_not_json_is_refused(tmp_path):
    (tmp_path / "crisis_model.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match=r"crisis_model\.json"):
        load_crisis_model(tmp_path)
