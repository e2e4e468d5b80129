"""A check-in questionnaire as plain data, and the rules for walking and scoring it.

The content comes from `dialogs/checkin.yaml`; nothing here knows about Telegram or storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Step:
    """One screen of the check-in: a choice of options or free words."""

    key: str
    kind: str  # "choice" or "free"
    prompt: str
    options: tuple[Option, ...] = ()
    layout: str = "column"
    optional: bool = False

    def accepts(self, value: int) -> bool:
        return any(option.value == value for option in self.options)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    steps: tuple[Step, ...]
    scored_items: tuple[str, ...]
    lonely_at: int
    # Shorter forms by name, e.g. ("light", ("mood", "words")): the same steps, fewer of them.
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        keys = [step.key for step in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"questionnaire {self.id}: step keys repeat")
        missing = set(self.scored_items) - set(keys)
        if missing:
            raise ValueError(f"questionnaire {self.id}: scored items {sorted(missing)} not steps")
        for name, variant_keys in self.variants:
            unknown = set(variant_keys) - set(keys)
            if unknown or not variant_keys:
                raise ValueError(f"questionnaire {self.id}: variant {name} has no such steps")

    def variant(self, name: str | None) -> Questionnaire:
        """The check-in cut down to a named variant (itself for None). A variant without all
        the scored items has no loneliness score: its answers count as mood only."""
        if name is None:
            return self
        keys = dict(self.variants)[name]
        scored = self.scored_items if set(self.scored_items) <= set(keys) else ()
        steps = tuple(step for step in self.steps if step.key in keys)
        return replace(self, id=f"{self.id}:{name}", steps=steps, scored_items=scored, variants=())

    @property
    def first_step(self) -> str:
        return self.steps[0].key

    @property
    def words_step(self) -> str | None:
        """The step that takes the child's own words (free text or voice), if there is one."""
        return next((step.key for step in self.steps if step.kind == "free"), None)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def has_step(self, key: str) -> bool:
        return any(step.key == key for step in self.steps)

    def next_step(self, key: str) -> str | None:
        """The step after `key`, or None when the check-in is finished."""
        keys = [step.key for step in self.steps]
        index = keys.index(key)
        return keys[index + 1] if index + 1 < len(keys) else None

    def position(self, key: str) -> tuple[int, int]:
        """1-based position and count, for a gentle "2/5" progress line."""
        keys = [step.key for step in self.steps]
        return keys.index(key) + 1, len(keys)

    def score(self, answers: Mapping[str, int]) -> int | None:
        """Sum of the scored items (3-9 for the three-item scale); None until all are answered,
        and always None for a form without them."""
        if not self.scored_items or not all(item in answers for item in self.scored_items):
            return None
        return sum(answers[item] for item in self.scored_items)

    def is_lonely(self, score: int) -> bool:
        return score >= self.lonely_at
