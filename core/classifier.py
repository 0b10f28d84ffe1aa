"""A small linear text classifier: TF-IDF word and character n-grams, then logistic
regression, learned from the labelled example messages in ``content/examples/``.

Training (``python -m bot train``) uses scikit-learn (the ``train`` extra), with
:func:`features` as the vectoriser's analyser. The fitted model is written as plain
arrays to ``content/model/<name>.npz`` and ships in the package; at run time
:class:`LinearModel` scores a message with those arrays and the same :func:`features`,
so scikit-learn (about 100 MB and 0.6 s to import) is never loaded by the bot. A test
checks that both give the same probabilities, and that the shipped model was trained on
the examples as they are now.

The recipe follows scikit-learn's text classification tutorial (TF-IDF with
``sublinear_tf`` and a linear model); character n-grams inside word boundaries carry
typos and slang ("kil my self", "endin it all").
"""

from __future__ import annotations

import hashlib
import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

CHAR_NGRAMS = (2, 5)
"""Character n-gram lengths inside word boundaries (words padded with one space)."""
MAX_CHARS = 2_000
"""A segment longer than this is scored on its first MAX_CHARS characters; callers that
need a whole long text scored split it first (see :func:`segments`)."""
EXAMPLES = "examples"
MODEL_DIR = "model"


def normalise(text: str, *, masked: bool = False) -> str:
    """The text as the classifier reads it: lower case, plain letters, contractions,
    chat shorthand and leetspeak spelled out (``core.safety.normalise``); with
    ``masked``, everyday hyperbole ("career suicide", "dying to hear") blanked out as the
    safety rules do (``core.safety.mask_hyperbole``). The safety model reads masked text;
    the intent model reads the hyperbole, which carries meaning there."""
    from core import safety

    normal = safety.normalise(text)
    return " ".join(safety.mask_hyperbole(normal).split()) if masked else normal


def features(text: str) -> list[str]:
    """The features of one already normalised text, each a string: ``w word``,
    ``w word word`` (word uni- and bigrams), ``c <n-gram>`` (character 2- to 5-grams
    inside word boundaries), ``e <symbol>`` (each emoji or other symbol), ``? `` when
    the text asks a question.

    Takes the output of :func:`normalise` plus the raw text's symbols; see
    :func:`analyse`. The same function feeds training and scoring.
    """
    words = text.split()
    out = [f"w {w}" for w in words]
    out += [f"w {a} {b}" for a, b in itertools.pairwise(words)]
    low, high = CHAR_NGRAMS
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(low, min(high, size) + 1):
            out += ["c " + padded[i : i + n] for i in range(size - n + 1)]
    return out


def analyse(raw: str, masked: bool = False) -> list[str]:
    """Features of a raw message: :func:`features` of its normalised form (``masked``:
    see :func:`normalise`), plus its symbols (emoji such as a crying face carry feeling)
    and a question mark."""
    raw = raw[:MAX_CHARS]
    out = features(normalise(raw, masked=masked))
    out += [f"e {c}" for c in raw if unicodedata.category(c) == "So"]
    if "?" in raw:
        out.append("?")
    return out


# -- examples ----------------------------------------------------------------------------
def _examples_root() -> Any:
    return resources.files("core").joinpath("content", EXAMPLES)


def read_examples(kind: str) -> dict[str, list[str]]:
    """Label -> example messages, from ``content/examples/<kind>/<label>.txt`` and
    ``<label>-<anything>.txt`` (one message a line; blank lines and lines starting with
    ``#`` are skipped)."""
    folder = _examples_root().joinpath(kind)
    found: dict[str, list[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        lines = entry.read_text(encoding="utf-8").splitlines()
        label = entry.name[:-4].split("-", 1)[0]
        found.setdefault(label, []).extend(
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        )
    return found


def training_set(name: str) -> tuple[list[str], list[str]]:
    """The (texts, labels) a model learns from. ``intents``: the intent examples.
    ``safety``: the tier examples, with every intent example as tier ``none`` too
    (ordinary messages are the bulk of what the check sees)."""
    texts: list[str] = []
    labels: list[str] = []
    groups = read_examples(name)
    if name == "safety":
        ordinary = [t for ts in read_examples("intents").values() for t in ts]
        groups = {**groups, "none": [*groups.get("none", []), *ordinary]}
    for label, examples in sorted(groups.items()):
        seen: set[str] = set()
        for text in examples:
            if text not in seen:
                seen.add(text)
                texts.append(text)
                labels.append(label)
    return texts, labels


def fingerprint(
    texts: Sequence[str], labels: Sequence[str], *, balanced: bool = True, masked: bool = False
) -> str:
    """SHA-256 of the training set and the recipe: a shipped model carries it, so a
    test can tell when examples changed without a retrain."""
    from core import safety

    recipe = (CHAR_NGRAMS, MAX_CHARS, _RECIPE, balanced, masked, safety.hyperbole_source())
    digest = hashlib.sha256(repr(recipe).encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


# -- scoring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearModel:
    """A fitted TF-IDF + multinomial logistic regression model as plain arrays."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    """(features, labels), float32: row i is feature i's weight for every label."""
    intercept: np.ndarray
    fingerprint: str
    masked: bool = False
    """Whether the model reads text with everyday hyperbole blanked out."""

    def probabilities(self, raw: str) -> dict[str, float]:
        """Label -> probability (summing to 1) for one raw message.

        Computes what scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` followed by
        ``LogisticRegression.predict_proba`` computes, without scikit-learn.
        """
        counts = Counter(f for f in analyse(raw, self.masked) if f in self.vocabulary)
        scores = self.intercept.astype(np.float64)
        if counts:
            index = np.fromiter((self.vocabulary[f] for f in counts), dtype=np.int64)
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
            weights = tf * self.idf[index]
            weights /= np.linalg.norm(weights)
            scores = scores + weights @ self.coef[index].astype(np.float64)
        scores -= scores.max()
        exp = np.exp(scores)
        exp /= exp.sum()
        return dict(zip(self.labels, (float(p) for p in exp), strict=True))

    def save(self, path: Path) -> None:
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            vocabulary=np.array(vocabulary),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            fingerprint=np.array(self.fingerprint),
            masked=np.array(self.masked),
        )

    @classmethod
    def load(cls, source: Any) -> LinearModel:
        """Read a model written by :meth:`save` (a path or a package resource)."""
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            vocabulary = arrays["vocabulary"].tolist()
            return cls(
                labels=tuple(arrays["labels"].tolist()),
                vocabulary={term: i for i, term in enumerate(vocabulary)},
                idf=arrays["idf"].astype(np.float64),
                coef=arrays["coef"],
                intercept=arrays["intercept"].astype(np.float64),
                fingerprint=str(arrays["fingerprint"]),
                masked=bool(arrays["masked"]) if "masked" in arrays else False,
            )


def model_resource(name: str) -> Any:
    return resources.files("core").joinpath("content", MODEL_DIR, f"{name}.npz")


@cache
def model(name: str) -> LinearModel:
    """The shipped model ``intents`` or ``safety``, loaded once.

    Raises FileNotFoundError when the package has no trained model (run
    ``python -m bot train``)."""
    return LinearModel.load(model_resource(name))


# -- training ----------------------------------------------------------------------------
_RECIPE = "tfidf(sublinear,l2,min_df=1)+logreg(lbfgs,C=30)"
BALANCED = {"intents": True, "safety": False}
MASKED = {"intents": False, "safety": True}
"""Which models read text with everyday hyperbole blanked out (see normalise)."""
"""Class weights per model. Intents are weighted to balance (no intent should win by
being common); the safety model is not: balanced weights flatten its prior, so a text
with no evidence at all ("that would be") drifted towards risk (measured by
bench/tune_thresholds.py: unweighted was better on every figure)."""


def fit(
    texts: Sequence[str], labels: Sequence[str], *, balanced: bool = True, masked: bool = False
) -> LinearModel:
    """Train a model on (texts, labels) with scikit-learn; deterministic for the same
    input. Raises ImportError without the ``train`` extra (scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(
        analyzer=partial(analyse, masked=masked), sublinear_tf=True, lowercase=False
    )
    matrix = vectoriser.fit_transform(texts)
    weights = "balanced" if balanced else None
    classifier = LogisticRegression(C=30.0, max_iter=3000, class_weight=weights)
    classifier.fit(matrix, list(labels))
    vocabulary = {term: int(i) for term, i in vectoriser.vocabulary_.items()}
    return LinearModel(
        labels=tuple(str(c) for c in classifier.classes_),
        vocabulary=vocabulary,
        idf=np.asarray(vectoriser.idf_, dtype=np.float64),
        coef=np.asarray(classifier.coef_.T, dtype=np.float32),
        intercept=np.asarray(classifier.intercept_, dtype=np.float64),
        fingerprint=fingerprint(texts, labels, balanced=balanced, masked=masked),
        masked=masked,
    )


def train(
    names: Iterable[str] = ("intents", "safety"), folder: Path | None = None
) -> dict[str, tuple[int, int]]:
    """Retrain each named model from its examples and write it to ``folder`` (default:
    the package's ``content/model``). Returns name -> (examples, features)."""
    target = folder or Path(str(resources.files("core").joinpath("content", MODEL_DIR)))
    target.mkdir(parents=True, exist_ok=True)
    report = {}
    for name in names:
        texts, labels = training_set(name)
        fitted = fit(texts, labels, balanced=BALANCED[name], masked=MASKED[name])
        fitted.save(target / f"{name}.npz")
        report[name] = (len(texts), len(fitted.vocabulary))
    model.cache_clear()
    return report
