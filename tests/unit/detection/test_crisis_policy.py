"""The training policy judges exactly as the bot does: its verdicts, from precomputed lexicon
findings and model scores, are crisis.assess's, so thresholds chosen with it mean in the bot
what they meant in cross-validation."""

from __future__ import annotations

import dataclasses

import pytest

from bench.crisis_policy import Policy, apply_policy, levels, screened
from bench.crisis_training_data import DEV_FILE, EVERYDAY, read_probe_file
from bot.adapters.dialogs import load_crisis_lexicon, load_crisis_model
from bot.domain.detection.crisis import EVERYDAY as EVERYDAY_LEVEL
from bot.domain.detection.crisis import assess, normalise
from bot.domain.detection.crisis_model import score


@pytest.mark.parametrize(("floor", "high"), [(None, None), (0.99, 0.6), (1e-4, 0.9)])
def test_policy_verdicts_are_the_bots(floor, high):
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    model = dataclasses.replace(
        model,
        lexicon_floor=floor or model.lexicon_floor,
        high=high or model.high,
        low=min(model.low, high or model.high),
    )
    probes = read_probe_file(DEV_FILE)[::7]
    scores = [score(normalise(p.text, lexicon), model).score for p in probes]
    policy = Policy(model.low, model.high, model.lexicon_floor, tuple(model.lexicon_sure))
    ours = [v or EVERYDAY_LEVEL for v in levels(screened(probes, lexicon), scores, policy)]
    assert ours == [assess(p.text, lexicon, model).level for p in probes]


def test_the_policy_keeps_everyday_urgent_and_read_within_its_caps():
    lexicon, model = load_crisis_lexicon(), load_crisis_model()
    probes = read_probe_file(DEV_FILE)
    scores = [score(normalise(p.text, lexicon), model).score for p in probes]
    lex = screened(probes, lexicon)
    policy = apply_policy(probes, lex, scores, Policy(0, 0, 0.45, ("method",)), 0.05, 0.2)
    assert policy is not None and policy.low <= policy.high
    judged = zip(probes, levels(lex, scores, policy), strict=True)
    verdicts = [v for p, v in judged if p.label == EVERYDAY]
    assert verdicts.count("urgent") <= int(0.05 * len(verdicts))
    assert verdicts.count("please_read") <= int(0.2 * len(verdicts))
