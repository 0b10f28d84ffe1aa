"""The learned classifier and two-tier safety check, measured on the blind sets.

    python bench/bench_classifier.py [--runs 3] [--baseline REV] [--sets bench/data/blind]

For every blind set under ``bench/data/blind`` (written by someone who had seen neither
the patterns nor the training examples; see its README) it prints:

- safety sets: crisis-tier recall on explicit messages, crisis-or-ask recall on every risk
  message, hard negatives answered crisis and answered ask (by language too);
- intent sets: accuracy and a confusion table;
- each set's overlap with the training examples (exact after normalising, and near
  duplicates: character 4-gram Jaccard similarity of at least 0.8);
- classification time per message (the engine's path: safety tier, then the topic;
  CPU time, median and p99), start-up and peak memory of a process that loads the check
  and answers one message, and the time for a 4,096-character, a 100 KB and a 1 MB
  message;

for this tree and, in the same run, for the regex-only check of ``--baseline`` (a git
revision, default fa44c7f: the last one before the learned classifier), each in a fresh
interpreter. Timings are medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "fa44c7f"

# Each worker runs in a fresh interpreter. Peak memory is VmHWM of /proc/self/status
# (ru_maxrss survives exec on Linux and would report the parent's peak). Times are CPU
# time of the process (time.process_time), so other work on the machine adds little.
WORKER = r"""
import json, sys, time
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
t0 = time.perf_counter()
from core import safety, intents
has_tiers = hasattr(safety, "tier")
def tier(text):
    if has_tiers:
        return safety.tier(text).value
    return "crisis" if safety.is_crisis(text) else "none"
def intent(text):
    return intents.topic(text).value  # the engine checks safety once, then asks the topic
def label(text):  # what `python -m bot classify` prints
    return intents.classify(text).value
tier("hello"); intent("hello")
startup = time.perf_counter() - t0
rss_mb = peak_mb()
job = json.load(sys.stdin)
out = {"startup_s": startup, "rss_mb": rss_mb, "safety": [], "intents": [], "times_ms": []}
for text in job["safety"]:
    out["safety"].append(tier(text))
for text in job["intents"]:
    out["intents"].append(label(text))
for text in job["safety"] + job["intents"]:
    s = time.process_time(); tier(text); intent(text)
    out["times_ms"].append((time.process_time() - s) * 1000)
base = "I had the final round at Acme today and it went okay, they will get back to me. "
out["long_ms"] = {}
for size in (4096, 100_000, 1_000_000):
    text = (base * (size // len(base) + 1))[:size]
    s = time.process_time(); tier(text); intent(text)
    out["long_ms"][str(size)] = (time.process_time() - s) * 1000
print(json.dumps(out))
"""


def load_sets(folder: Path) -> dict[str, list[dict]]:
    return {
        path.stem: [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        for path in sorted(folder.glob("*.jsonl"))
    }


def training_texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from core.classifier import read_examples

    return [t for kind in ("intents", "safety") for ts in read_examples(kind).values() for t in ts]


def _grams(text: str) -> set[str]:
    padded = f" {' '.join(text.split())} "
    return {padded[i : i + 4] for i in range(max(1, len(padded) - 3))}


def overlap(rows: list[dict], training: list[str]) -> tuple[int, int]:
    """(exact, near) duplicates of the set's texts among the training examples."""
    from core.safety import normalise

    exact_pool = {normalise(t) for t in training}
    pool = [(_grams(normalise(t)), normalise(t)) for t in training]
    exact = near = 0
    for row in rows:
        norm = normalise(row["text"])
        if norm in exact_pool:
            exact += 1
            continue
        grams = _grams(norm)
        for other, _ in pool:
            union = len(grams | other)
            if union and len(grams & other) / union >= 0.8:
                near += 1
                break
    return exact, near


def run_worker(pythonpath: Path, job: dict, code: str = WORKER) -> dict:
    """Run ``code`` in a fresh interpreter with ``pythonpath`` as the project."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=pythonpath,
        env={"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return json.loads(result.stdout)


def export_baseline(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "core", "storage"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def safety_figures(rows: list[dict], tiers: list[str]) -> dict[str, str]:
    def share(group: str, accept: set[str], lang: str | None = None) -> str:
        picked = [
            t
            for r, t in zip(rows, tiers, strict=True)
            if r["group"] == group and (lang is None or r["lang"] == lang)
        ]
        if not picked:
            return "-"
        hit = sum(t in accept for t in picked)
        return f"{100 * hit / len(picked):.1f} % ({hit}/{len(picked)})"

    risk = [t for r, t in zip(rows, tiers, strict=True) if r["group"] != "hard_negative"]
    risk_hit = sum(t in ("crisis", "ask") for t in risk)
    figures = {
        "explicit -> crisis": share("explicit", {"crisis"}),
        "every risk -> crisis or ask": f"{100 * risk_hit / len(risk):.1f} % "
        f"({risk_hit}/{len(risk)})",
        "indirect -> crisis or ask": share("indirect", {"crisis", "ask"}),
        "hard negatives -> crisis": share("hard_negative", {"crisis"}),
        "hard negatives -> ask": share("hard_negative", {"ask"}),
    }
    for lang in sorted({r["lang"] for r in rows} - {"en"}):
        figures[f"  {lang}: explicit -> crisis"] = share("explicit", {"crisis"}, lang)
        figures[f"  {lang}: indirect -> crisis or ask"] = share("indirect", {"crisis", "ask"}, lang)
    return figures


def confusion(rows: list[dict], predicted: list[str]) -> str:
    labels = sorted({r["intent"] for r in rows} | set(predicted))
    counts = Counter((r["intent"], p) for r, p in zip(rows, predicted, strict=True))
    width = max(len(label) for label in labels)
    head = " " * (width + 2) + " ".join(f"{label[:5]:>5}" for label in labels)
    lines = [head]
    for truth in labels:
        cells = " ".join(f"{counts[(truth, p)] or '.':>5}" for p in labels)
        lines.append(f"{truth:>{width}}  {cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--sets", type=Path, default=ROOT / "bench" / "data" / "blind")
    args = parser.parse_args()

    sets = load_sets(args.sets)
    safety_rows = [r for name, rows in sets.items() if name.startswith("safety") for r in rows]
    intent_rows = [r for name, rows in sets.items() if name.startswith("intents") for r in rows]
    job = {"safety": [r["text"] for r in safety_rows], "intents": [r["text"] for r in intent_rows]}

    training = training_texts()
    print(f"training examples: {len(training)}")
    for name, rows in sets.items():
        exact, near = overlap(rows, training)
        print(
            f"set {name}: {len(rows)} messages; overlap with training: {exact} exact, {near} near"
        )

    with tempfile.TemporaryDirectory() as tmp:
        baseline_tree = export_baseline(args.baseline, Path(tmp))
        runs: dict[str, list[dict]] = {"learned": [], "regex-only": []}
        for _ in range(args.runs):
            runs["learned"].append(run_worker(ROOT, job))
            runs["regex-only"].append(run_worker(baseline_tree, job))

    for label in ("learned", "regex-only"):
        first = runs[label][0]
        print(f"\n== {label} ==")
        offset = 0
        for name, rows in sets.items():
            if name.startswith("safety"):
                tiers = first["safety"][offset : offset + len(rows)]
                offset += len(rows)
                print(f"{name}:")
                for key, value in safety_figures(rows, tiers).items():
                    print(f"  {key:34} {value}")
        offset = 0
        for name, rows in sets.items():
            if name.startswith("intents"):
                predicted = first["intents"][offset : offset + len(rows)]
                offset += len(rows)
                right = sum(r["intent"] == p for r, p in zip(rows, predicted, strict=True))
                print(f"{name}: accuracy {100 * right / len(rows):.1f} % ({right}/{len(rows)})")
                print(confusion(rows, predicted))
        times = [statistics.median(run["times_ms"]) for run in runs[label]]
        p99s = [statistics.quantiles(run["times_ms"], n=100)[98] for run in runs[label]]
        startup = statistics.median(r["startup_s"] for r in runs[label])
        rss = statistics.median(r["rss_mb"] for r in runs[label])
        print(
            f"per message (tier + topic, CPU time): median {statistics.median(times):.3f} ms, "
            f"p99 {statistics.median(p99s):.3f} ms"
        )
        print(f"start-up (import and first message): {startup:.3f} s; peak memory {rss:.1f} MB")
        for size in ("4096", "100000", "1000000"):
            value = statistics.median(r["long_ms"][size] for r in runs[label])
            print(f"a {int(size):,}-character message (CPU time): {value:.1f} ms")
    learned, regex = (
        (
            statistics.median(r["startup_s"] for r in runs[label]),
            statistics.median(r["rss_mb"] for r in runs[label]),
        )
        for label in ("learned", "regex-only")
    )
    print(
        f"\nthe learned check adds {learned[0] - regex[0]:+.3f} s of start-up and "
        f"{learned[1] - regex[1]:+.1f} MB of peak memory to the regex-only check"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
