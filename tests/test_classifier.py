"""The learned text classifier: the shipped models were trained on the examples as they
are now, training is deterministic, and scoring without scikit-learn gives what
scikit-learn gives."""

from __future__ import annotations

import numpy as np
import pytest

from core import classifier
from core.intents import Guess, Intent, classify, guess

sklearn = pytest.importorskip("sklearn")


@pytest.mark.parametrize("name", ["intents", "safety"])
def test_the_shipped_model_was_trained_on_the_examples_as_they_are(name: str):
    texts, labels = classifier.training_set(name)
    shipped = classifier.model(name)
    recipe = {"balanced": classifier.BALANCED[name], "masked": classifier.MASKED[name]}
    assert shipped.fingerprint == classifier.fingerprint(texts, labels, **recipe), (
        "examples changed since the model was trained: run `python -m bot train`"
    )


def test_training_again_gives_the_shipped_model(tmp_path):
    classifier.train(["intents"], folder=tmp_path)
    again = classifier.LinearModel.load(tmp_path / "intents.npz")
    shipped = classifier.model("intents")
    assert again.labels == shipped.labels
    assert again.vocabulary == shipped.vocabulary
    assert np.allclose(again.coef, shipped.coef, atol=1e-3)


def test_scoring_matches_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = classifier.training_set("intents")
    vectoriser = TfidfVectorizer(analyzer=classifier.analyse, sublinear_tf=True, lowercase=False)
    matrix = vectoriser.fit_transform(texts)
    fitted = LogisticRegression(C=30.0, max_iter=3000, class_weight="balanced").fit(matrix, labels)
    ours = classifier.model("intents")
    sample = [*texts[::97], "totally new words qwerty", "😭😭", "?"]
    expected = fitted.predict_proba(vectoriser.transform(sample))
    got = np.array([[ours.probabilities(t)[c] for c in fitted.classes_] for t in sample])
    assert np.allclose(got, expected, atol=1e-4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("they picked someone else", Intent.REJECTION),
        ("the hiring manager passed on me", Intent.REJECTION),
        ("heard back from them - it's a no", Intent.REJECTION),
        ("no offer after 5 rounds", Intent.REJECTION),
        ("what did I say I was good at", Intent.STRENGTHS),
        ("I need to work on my SQL", Intent.SKILLS),
        ("I'm okay I guess", Intent.MOOD),
        ("I'm useless", Intent.MOOD),
        ("this job search is killing me", Intent.MOOD),
        ("I got an offer", Intent.GOOD_NEWS),
        ("I have an interview tomorrow", Intent.GOOD_NEWS),
        ("i have the pills ready", Intent.CRISIS),
    ],
)
def test_the_issue_examples(typed: str, expected: Intent):
    assert classify(typed) is expected


def test_an_ask_tier_text_prints_the_intent_it_would_have():
    assert classify("I don't see the point anymore") is not Intent.CRISIS
    assert classify("im not suicidal, just really frustrated") is Intent.MOOD


def test_symbols_alone_are_unknown():
    assert guess("!!!").intent is Intent.UNKNOWN
    assert guess("").decided is Intent.UNKNOWN


def test_unsure_guesses_are_not_acted_on():
    unsure = Guess(Intent.REJECTION, 0.3, Intent.MOOD, 0.28)
    assert unsure.decided is Intent.UNKNOWN
    assert unsure.ambiguous
    sure = Guess(Intent.REJECTION, 0.95, Intent.MOOD, 0.03)
    assert sure.decided is Intent.REJECTION and not sure.ambiguous
