"""Load questionnaires and labels from `dialogs/` into domain objects.

Texts in these files are English gettext msgids: every string value is one, except values of the
structural keys below, which the catalog extractor skips as well. A file whose top level says
`translatable: false` (crisis_lexicon.yaml: search patterns, not messages) is data, not texts:
the extractor skips it whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import yaml

from bot.domain.questionnaire import Option, Questionnaire, Step

if TYPE_CHECKING:
    from bot.domain.detection.crisis_lexicon import CrisisLexicon
    from bot.domain.detection.crisis_model import CrisisModel

DIALOGS_DIR = Path(__file__).resolve().parents[2] / "dialogs"
STRUCTURAL_KEYS = frozenset({"id", "key", "kind", "layout", "options", "items", "value", "number"})
# Whole sections holding no texts at all (e.g. a questionnaire's variants: lists of step keys).
STRUCTURAL_SECTIONS = frozenset({"variants"})
NOT_TEXTS_KEY = "translatable"  # top-level `translatable: false`: no msgids in this file


def read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _options(raw: Any, option_sets: dict[str, Any]) -> tuple[Option, ...]:
    if isinstance(raw, str):
        raw = option_sets[raw]
    return tuple(Option(value=int(o["value"]), label=str(o["label"])) for o in raw or ())


@cache
def load_questionnaire(name: str = "checkin", directory: Path = DIALOGS_DIR) -> Questionnaire:
    data = read_yaml(directory / f"{name}.yaml")
    option_sets = data.get("option_sets", {})
    steps = tuple(
        Step(
            key=raw["key"],
            kind=raw["kind"],
            prompt=raw["prompt"],
            options=_options(raw.get("options"), option_sets),
            layout=raw.get("layout", "column"),
            optional=bool(raw.get("optional", False)),
        )
        for raw in data["steps"]
    )
    loneliness = data["scoring"]["loneliness"]
    return Questionnaire(
        id=data["id"],
        steps=steps,
        scored_items=tuple(loneliness["items"]),
        lonely_at=int(loneliness["lonely_at"]),
        variants=tuple(
            (str(name), tuple(str(key) for key in keys))
            for name, keys in (data.get("variants") or {}).items()
        ),
    )


@cache
def load_labels(directory: Path = DIALOGS_DIR) -> dict[str, dict[str, str]]:
    """All label groups, e.g. labels["labels"]["skip"].

    The shared groups live in labels.yaml; a feature's own short texts live beside its data, in
    the `labels:` section of `dialogs/<feature>.yaml`, as the group named after the file.
    """
    groups = dict(read_yaml(directory / "labels.yaml"))
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "labels.yaml":
            continue
        data = read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("labels"), dict):
            groups[path.stem] = data["labels"]
    return groups


@cache
def load_alert_texts(directory: Path = DIALOGS_DIR) -> dict[str, dict[str, str]]:
    """Per alert reason: a plain-words `title` and a suggested next `step` (msgids)."""
    return read_yaml(directory / "alerts.yaml")["reasons"]


@cache
def load_hotlines(directory: Path = DIALOGS_DIR) -> tuple[tuple[str, str], ...]:
    """(number, label msgid) for each hotline a child in crisis is shown."""
    return tuple(
        (str(h["number"]), h["label"]) for h in read_yaml(directory / "crisis.yaml")["hotlines"]
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice (plain YAML silently keeps the last one, which
    would drop half a category of crisis words without a word)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@cache
def load_crisis_lexicon(directory: Path = DIALOGS_DIR) -> CrisisLexicon:
    """The crisis screen's words from crisis_lexicon.yaml, validated and compiled. A malformed
    file raises LexiconError naming the file and the field (or the YAML line)."""
    # Deferred: importing the detection package builds the default crisis screen, which loads
    # its lexicon through this function; a module-level import here would be circular.
    from bot.domain.detection.crisis_lexicon import LexiconError, parse_lexicon

    path = directory / "crisis_lexicon.yaml"
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_UniqueKeyLoader)  # a SafeLoader
        if isinstance(data, dict) and data.pop(NOT_TEXTS_KEY, None) is not False:
            raise LexiconError(f"the top level must say `{NOT_TEXTS_KEY}: false`")
        return parse_lexicon(data)
    except (yaml.YAMLError, LexiconError) as error:
        raise LexiconError(f"{path}: {error}") from None


@cache
def load_crisis_model(directory: Path = DIALOGS_DIR) -> CrisisModel:
    """The crisis screen's n-gram model from crisis_model.json (written by
    bench/train_crisis_model.py), validated. A malformed file raises ModelError naming the file
    and the field."""
    from bot.domain.detection.crisis_model import ModelError, parse_model

    path = directory / "crisis_model.json"
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_model(json.load(handle))
    except (json.JSONDecodeError, ModelError) as error:
        raise ModelError(f"{path}: {error}") from None


def extract_yaml(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for dialogs/*.yaml (registered in babel.cfg)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if not _not_texts(root):
        yield from _walk(root, key=None)


def _not_texts(root: yaml.Node | None) -> bool:
    """The file says `translatable: false` at its top level: data, not messages."""
    return isinstance(root, yaml.MappingNode) and any(
        key.value == NOT_TEXTS_KEY
        and isinstance(value, yaml.ScalarNode)
        and value.value.lower() == "false"
        for key, value in root.value
    )


def _walk(node: yaml.Node, key: str | None) -> Iterator[tuple[int, str, str, list[str]]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) not in STRUCTURAL_SECTIONS:
                yield from _walk(value_node, key=str(key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, key=key)
    elif (
        isinstance(node, yaml.ScalarNode)
        and node.tag.endswith(":str")
        and key not in STRUCTURAL_KEYS
        and node.value.strip()
    ):
        yield node.start_mark.line + 1, "gettext", node.value, []
