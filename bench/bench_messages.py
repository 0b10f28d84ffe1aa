"""CPU time per message, by kind of message, for this checkout and others side by side.

    python bench/bench_messages.py [--people 300] [--rounds 3] [--checkout DIR ...]

Each checkout (this one first, then every ``--checkout``: e.g. ``git worktree add
/tmp/old 24cff41``) runs in a process of its own on a fresh SQLite file: ``--people``
people who have said hello, then each kind of message once per person, ``--rounds``
times over; the figure for a kind is its best round (the least disturbed by other work
on the machine), in microseconds of this process's CPU time per message, committed
write included. The kinds are those of ``bench_engine.py``'s mix: ``/mood 3``, a
strength added, the strengths list, "hello", ``/mood`` (the question) and the press of
one of its buttons. With ``--interleave N`` the checkouts take turns N times (each
keeping its best), so that they see the same load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

KINDS = ("/mood 3", "/strengths add Calm under pressure", "/strengths", "hello", "/mood", "press")

MEASURE = r"""
import asyncio, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from core.dialogs import all_dialogs
from core.engine import Engine
from core.messages import Incoming
from storage.database import Database
from storage.migrate import migrate

async def main(people, rounds, kinds):
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await migrate(db)
        engine = Engine(db, all_dialogs())
        for n in range(people):
            await engine.handle(Incoming("terminal", f"u{n}", text="hi"))
        best = {}
        for _ in range(rounds):
            for kind in kinds:
                spent = 0.0
                for n in range(people):
                    user = f"u{n}"
                    if kind == "press":
                        replies = await engine.handle(Incoming("terminal", user, text="/mood"))
                        started = time.process_time()
                        payload = replies[-1].buttons[2].payload
                        await engine.handle(Incoming("terminal", user, payload=payload))
                    else:
                        started = time.process_time()
                        await engine.handle(Incoming("terminal", user, text=kind))
                    spent += time.process_time() - started
                us = spent / people * 1e6
                best[kind] = min(us, best.get(kind, us))
        await db.dispose()
    print(json.dumps(best))

asyncio.run(main(int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])))
"""


def measure(checkout: Path, people: int, rounds: int) -> dict[str, float]:
    """Kind -> best-round CPU microseconds per message for ``checkout``'s code."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(checkout), str(people), str(rounds), json.dumps(KINDS)],
        check=True,
        capture_output=True,
        text=True,
        cwd=checkout,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--checkout", type=Path, action="append", default=[])
    parser.add_argument(
        "--interleave", type=int, default=1, help="repeat the whole comparison N times"
    )
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    checkouts = [here, *(c.resolve() for c in args.checkout)]
    best: dict[Path, dict[str, float]] = {}
    for _ in range(args.interleave):
        for checkout in checkouts:
            figures = measure(checkout, args.people, args.rounds)
            kept = best.setdefault(checkout, figures)
            for kind, us in figures.items():
                kept[kind] = min(us, kept[kind])
    names = [c.name if c != here else "this checkout" for c in checkouts]
    width = max(len(k) for k in KINDS) + 2
    print(
        f"CPU µs per message, best of {args.rounds} rounds x {args.interleave}, "
        f"{args.people} people"
    )
    print(f"{'':{width}}" + "".join(f"{n:>16}" for n in names))
    for kind in KINDS:
        print(f"{kind:{width}}" + "".join(f"{best[c][kind]:>16,.0f}" for c in checkouts))
    mean = {c: sum(best[c].values()) / len(KINDS) for c in checkouts}
    print(f"{'mean of the kinds':{width}}" + "".join(f"{mean[c]:>16,.0f}" for c in checkouts))


if __name__ == "__main__":
    main()
