"""Choose the safety thresholds of core/content/classifier.toml by 5-fold
cross-validation on the training examples (never on a blind set).

    python bench/tune_thresholds.py

Prints, for a grid of (crisis, ask) thresholds, what the full check (patterns + model)
answers for held-out folds of crisis, ask and hard-negative examples, and for the intent
model the accuracy at each confidence threshold and how many messages would be ambiguous.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import classifier, safety


def folds(n: int, k: int = 5) -> list[np.ndarray]:
    order = np.random.default_rng(7).permutation(n)
    return [order[i::k] for i in range(k)]


def main() -> int:
    texts, labels = classifier.training_set("safety")
    hard = set(classifier.read_examples("safety")["none"])
    rules = [safety.rule_tier(t) for t in texts]
    scores = np.zeros((len(texts), 2))
    for held in folds(len(texts)):
        keep = np.setdiff1d(np.arange(len(texts)), held)
        fitted = classifier.fit(
            [texts[i] for i in keep],
            [labels[i] for i in keep],
            balanced=False,
            masked=True,
        )
        for i in held:
            worst_crisis = worst_risk = 0.0
            for piece in safety.segments(texts[i]):
                p = fitted.probabilities(piece)
                worst_crisis = max(worst_crisis, p["crisis"])
                worst_risk = max(worst_risk, p["crisis"] + p["ask"])
            scores[i] = (worst_crisis, worst_risk)
    groups = {
        "crisis": [i for i, lab in enumerate(labels) if lab == "crisis"],
        "ask": [i for i, lab in enumerate(labels) if lab == "ask"],
        "hard": [i for i, t in enumerate(texts) if labels[i] == "none" and t in hard],
        "ordinary": [i for i, t in enumerate(texts) if labels[i] == "none" and t not in hard],
    }
    print("crisis_t ask_t | crisis->C  ask->C|A  hard->C  hard->A  ordinary->A")
    for crisis_t in (0.3, 0.4, 0.5, 0.6):
        for ask_t in (0.25, 0.3, 0.4, 0.5):
            tiers = []
            for i in range(len(texts)):
                if rules[i] is safety.Tier.CRISIS or scores[i, 0] >= crisis_t:
                    tiers.append("crisis")
                elif rules[i] is safety.Tier.ASK or scores[i, 1] >= ask_t:
                    tiers.append("ask")
                else:
                    tiers.append("none")

            def share(group: str, accept: tuple[str, ...], tiers: list[str] = tiers) -> str:
                idx = groups[group]
                return f"{100 * sum(tiers[i] in accept for i in idx) / len(idx):6.1f}"

            print(
                f"{crisis_t:8} {ask_t:5} | {share('crisis', ('crisis',))}   "
                f"{share('ask', ('crisis', 'ask'))}   {share('hard', ('crisis',))}  "
                f"{share('hard', ('ask',))}  {share('ordinary', ('ask', 'crisis'))}"
            )

    texts, labels = classifier.training_set("intents")
    probs = [None] * len(texts)
    for held in folds(len(texts)):
        keep = np.setdiff1d(np.arange(len(texts)), held)
        fitted = classifier.fit([texts[i] for i in keep], [labels[i] for i in keep])
        for i in held:
            probs[i] = fitted.probabilities(texts[i])
    print("\nintent confidence | acted on  right when acted on  wrong and acted on")
    for threshold in (0.3, 0.4, 0.45, 0.5, 0.6):
        acted = right = 0
        for p, label in zip(probs, labels, strict=True):
            best = max(p, key=p.get)
            if p[best] >= threshold:
                acted += 1
                right += best == label
        n = len(labels)
        print(
            f"{threshold:17} | {100 * acted / n:6.1f} %  {100 * right / max(acted, 1):6.1f} %"
            f"  {100 * (acted - right) / n:6.1f} %"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
