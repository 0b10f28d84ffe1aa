"""Friends add strengths in the terminal chat: ``python -m bot chat`` and ``dispatch`` as
real subprocesses on one SQLite file, driven through pipes as docs/DESIGN.md describes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import messages, run_bot


def test_invite_vouch_dispatch_and_keep_in_the_terminal_chat(tmp_path: Path):
    asked = run_bot(["chat", "--user", "alice"], tmp_path, "/start\nAlice\n/cancel\n/invite\n")
    assert asked.returncode == 0, asked.stderr
    share = next(line for line in asked.stdout.splitlines() if "/vouch " in line)
    code = share.rsplit("/vouch ", 1)[1].strip()

    friend = run_bot(
        ["chat", "--user", "bob"],
        tmp_path,
        f"/vouch {code}\nSteady in a crisis\n2\nYou've got this\n1\n",
    )
    assert friend.returncode == 0, friend.stderr
    said = messages(friend.stdout)
    assert said[0][0].startswith("Alice asked Rebound")
    assert said[-1][0].startswith("Sent.")

    dispatched = run_bot(["dispatch", "--json"], tmp_path)
    assert dispatched.returncode == 0, dispatched.stderr
    (record,) = [json.loads(line) for line in dispatched.stdout.splitlines()]
    assert (record["platform"], record["user"], record["kind"]) == ("terminal", "alice", "friend")
    assert record["text"].startswith("Someone who knows you wrote:")
    assert "Steady in a crisis" in record["text"] and "You've got this" in record["text"]
    assert record["buttons"][:2] == ["Keep it", "Not now"]

    kept = run_bot(["chat", "--user", "alice"], tmp_path, "/invite\n1\n/strengths\n")
    assert kept.returncode == 0, kept.stderr
    assert "Kept." in kept.stdout
    assert "Steady in a crisis (from a friend)" in kept.stdout
