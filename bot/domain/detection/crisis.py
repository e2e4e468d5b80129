"""Crisis screen for free text: words that bypass the statistics and call a human at once.

Looks for self-harm and suicide, abuse, bullying and running away in zh_CN and en (and text
mixing them). It errs toward firing: a volunteer reading a false alarm costs minutes, a missed
disclosure may cost a life. Hyperbole (dead tired, dying to see) and negation (not suicidal)
are masked first so everyday speech does not fire.

The words are data, `dialogs/crisis_lexicon.yaml`, read and checked by the dialogs adapter and
given to the screen as a `CrisisLexicon`: this module stays pure.

`assess` adds a second reader, a small model over character n-grams and word classes
(crisis_model.py) that recognises meaning said in other words: urgent when the model is sure;
a lexicon hit is urgent when its words are of a kind the model file names as always urgent
(`lexicon_sure`, chosen in training), or when the model does not find the message plainly
everyday (`lexicon_floor`), and is otherwise sent to be read: "in the game I jumped off the
building" is read, not raised. "Please read" (the volunteer reads the words, not urgently)
also when the model is unsure, so an unsure screen never loses a crisis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.detection import crisis_model
from bot.domain.detection.crisis_lexicon import CrisisLexicon
from bot.domain.detection.crisis_model import CrisisModel

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Separators someone may put inside a word to slip past a filter ("want . die" in CJK).
_INSIDE_CJK = re.compile(rf"(?<=[{_CJK}])[\s.\-_*~·•/|\\+=^`'\"]+(?=[{_CJK}])")
_SPACED_LATIN = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")  # k i l l -> kill
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_WORD = re.compile(r"\b(?=[a-z0-9@$]*[a-z])(?=[a-z@$]*[0-9@$])[a-z0-9@$]+\b")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = str.maketrans("\u2018\u2019\u02bc\u2032`", "'''''")


@dataclass(frozen=True)
class CrisisFinding:
    """What the screen found; `category` is the most serious one that fired."""

    category: str  # "self_harm", "abuse", "bullying" or "running_away"
    score: int  # evidence weight in that category (method words weigh most)
    method: bool  # a method (pills, pesticide, rope, jumping, cutting) was named
    matches: tuple[str, ...]  # the words that fired, for the alert and the audit log
    categories: tuple[str, ...]  # every category that fired, most serious first
    kinds: tuple[str, ...] = ()  # the lexicon kinds of those words (method, intent, ...)


@dataclass(frozen=True)
class Assessment:
    """Both readers' verdict on one text."""

    level: str  # URGENT, PLEASE_READ or EVERYDAY
    category: str | None  # the lexicon's when it fired, else the model's likeliest; None: everyday
    model_score: float  # the model's probability that this is not everyday speech
    finding: CrisisFinding | None  # the lexicon's finding, when it fired


URGENT, PLEASE_READ, EVERYDAY = "urgent", "please_read", "everyday"


def normalise(text: str, lexicon: CrisisLexicon) -> str:
    """One canonical form: NFKC (full-width -> half-width), casefold, straight quotes,
    traditional -> simplified (the lexicon's characters), no separators inside CJK words,
    s p a c e d and l33t Latin words joined and decoded."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    text = text.translate(_QUOTES).translate(lexicon.traditional)
    text = _INSIDE_CJK.sub("", text)
    text = _SPACED_LATIN.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    return re.sub(r"\s+", " ", text).strip()


def assess(text: str, lexicon: CrisisLexicon, model: CrisisModel) -> Assessment:
    """Screen one message or caption with the lexicon and the model together."""
    clean = normalise(text, lexicon)
    finding = _lexicon_screen(clean, lexicon)
    scored = crisis_model.score(clean, model)
    if finding is not None:
        floor = min(model.lexicon_floor, model.high)  # never below what any message needs
        sure = bool(set(finding.kinds) & model.lexicon_sure) or scored.score >= floor
        return Assessment(URGENT if sure else PLEASE_READ, finding.category, scored.score, finding)
    if scored.score >= model.high:
        return Assessment(URGENT, scored.category, scored.score, None)
    if scored.score >= model.low:
        return Assessment(PLEASE_READ, scored.category, scored.score, None)
    return Assessment(EVERYDAY, None, scored.score, None)


def screen(text: str, lexicon: CrisisLexicon) -> CrisisFinding | None:
    """Screen one message or caption with the lexicon alone; None when nothing fired."""
    return _lexicon_screen(normalise(text, lexicon), lexicon)


def _lexicon_screen(clean: str, lexicon: CrisisLexicon) -> CrisisFinding | None:
    for mask in lexicon.masks:
        clean = mask.sub(" ", clean)
    fired: list[tuple[str, int, tuple[str, ...], tuple[str, ...]]] = []
    for category in lexicon.categories:
        score, kinds, matches = 0, [], []
        for term in category.terms:
            found = term.pattern.search(clean)
            if found:
                score += term.weight
                kinds.append(term.kind)
                matches.append(found.group(0).strip())
        if score >= lexicon.threshold:
            fired.append((category.name, score, tuple(dict.fromkeys(kinds)), tuple(matches)))
    if not fired:
        return None
    category, score, kinds, matches = fired[0]
    names = tuple(name for name, *_ in fired)
    return CrisisFinding(category, score, "method" in kinds, matches, names, kinds)
