"""End to end: ``python -m bot`` as a subprocess, talking to the fake Bot API.

It checks /start, /strengths add and /strengths through the real engine, a real SQLite
file and the real PTB stack, and that the token appears nowhere in the output.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:E2E-secret-token-do-not-print"
USER = 5151
STRENGTH = "Calm under pressure"

pytestmark = [
    pytest.mark.skipif(
        not ((ROOT / "bot" / "__main__.py").exists() and (ROOT / "bot" / "app.py").exists()),
        reason="needs the lead's bot/__main__.py and bot/app.py (python -m bot)",
    ),
    pytest.mark.slow,
]


def bot_environment(fake: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DISCORD_", "DATABASE_"))
    }
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}",
        LOG_LEVEL="DEBUG",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


async def texts_after(fake: FakeTelegram, seen: int, expected: str, within: float) -> list[str]:
    """Wait for a sendMessage after the first ``seen`` ones whose text holds ``expected``."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        texts = [c.params.get("text", "") for c in fake.calls_to("sendMessage")[seen:]]
        if any(expected in text for text in texts):
            return texts
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no reply containing {expected!r}; got {texts}")
        await asyncio.sleep(0.05)


def uvloop_installed() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("event_loop", ["uvloop", "asyncio"])
async def test_python_m_bot_talks_to_telegram(tmp_path: Path, event_loop: str):
    """The same conversation on either event loop (EVENT_LOOP); uvloop is the default
    where it is installed (Linux and macOS)."""
    if event_loop == "uvloop" and not uvloop_installed():
        pytest.skip("uvloop is not installed here (Windows, or another Python)")
    stdout_path, stderr_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    async with FakeTelegram(TOKEN) as fake:
        env = bot_environment(fake, tmp_path)
        if event_loop == "asyncio":
            env["EVENT_LOOP"] = "asyncio"  # the default (uvloop) needs no setting
        with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=tmp_path,
                env=env,
                stdout=stdout,
                stderr=stderr,
            )
            try:
                await talk(fake)
            except AssertionError as failure:
                log = tail(stderr_path)
                raise AssertionError(f"{failure}\n--- bot stderr ---\n{log}") from None
            finally:
                await interrupt(process)

    output = stdout_path.read_text(errors="replace") + stderr_path.read_text(errors="replace")
    assert output.strip(), "the bot should have logged something at DEBUG"
    assert f"event loop: {event_loop}" in output
    assert "start-up objects frozen" in output  # out of the garbage collector's walks
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    assert all(call.token == TOKEN for call in fake.calls)
    sent_to = {c.params["chat_id"] for c in fake.calls_to("sendMessage")}
    assert sent_to == {str(USER)}


async def talk(fake: FakeTelegram) -> None:
    """/start, /strengths add, /strengths: each answered, the strength listed at the end."""
    await fake.wait_for("setMyCommands", within=60)
    await fake.wait_for("getUpdates", within=30)

    await fake.send_text("/start", user_id=USER)
    await texts_after(fake, 0, "", within=20)

    seen = len(fake.calls_to("sendMessage"))
    await fake.send_text(f"/strengths add {STRENGTH}", user_id=USER)
    await texts_after(fake, seen, STRENGTH, within=20)

    seen = len(fake.calls_to("sendMessage"))
    await fake.send_text("/strengths", user_id=USER)
    listed = await texts_after(fake, seen, STRENGTH, within=20)
    assert any(STRENGTH in text for text in listed)


async def interrupt(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


async def test_sigterm_while_telegram_does_not_answer_stops_at_once(tmp_path: Path):
    """Hosts send SIGKILL 30 s after SIGTERM: a bot still retrying a Bot API that does
    not answer must stop when asked, not when its retries run out."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DISCORD_", "DATABASE_"))
    }
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_URL="http://127.0.0.1:9/bot",  # nothing listens on port 9
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}",
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    await asyncio.sleep(4)  # started, and retrying the first Bot API call
    assert process.returncode is None
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = await asyncio.wait_for(process.communicate(), 10)
    except TimeoutError:
        process.kill()
        raise AssertionError("the bot did not stop within 10 s of SIGTERM") from None
    text = output.decode(errors="replace")
    assert "stopped while the telegram adapter was starting" in text
    assert "Traceback" not in text and TOKEN not in text
