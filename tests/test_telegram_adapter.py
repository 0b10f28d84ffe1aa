"""The Telegram adapter: real PTB over real HTTP against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram import TelegramAdapter
from bot.telegram import adapter as adapter_module
from bot.telegram import render as render_module
from core.commands import command_menu
from core.messages import (
    Attachment,
    Button,
    Incoming,
    RateLimited,
    RecipientUnreachable,
    Reply,
)
from tests.fake_telegram import BOT_USER, FakeTelegram

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
USER = 4242
PNG = b"\x89PNG\r\n\x1a\n fake chart"


class StandInEngine:
    """Just enough engine: scripted replies, and a record of what it was asked."""

    def __init__(self) -> None:
        self.seen: list[Incoming] = []
        self.unreachable: list[tuple[str, str]] = []
        self.delay = 0.0

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        if self.delay:
            await asyncio.sleep(self.delay)
        text = incoming.text
        if incoming.payload:
            return [Reply(f"Noted: {incoming.payload}")]
        if text.startswith("/mood"):
            buttons = tuple(Button(str(n), f"mood:{n}") for n in range(1, 6))
            return [Reply("How are you feeling today?", buttons=buttons)]
        if text == "/chart":
            chart = Attachment("mood.png", PNG, kind="photo")
            return [Reply("Your mood this month", attachment=chart, typing=True)]
        if text == "/export":
            return [Reply("Everything I keep about you", attachment=Attachment("me.json", b"{}"))]
        if text == "boom":
            raise RuntimeError("the engine fell over")
        return [Reply(f"You said: {text}")]

    async def mark_unreachable(self, platform: str, user_id: str) -> None:
        self.unreachable.append((platform, user_id))


def settings_for(fake: FakeTelegram, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "telegram_token": TOKEN,
        "telegram_api_url": fake.api_url,
        "telegram_webhook_url": None,
        "telegram_webhook_secret": None,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
def engine() -> StandInEngine:
    return StandInEngine()


@pytest.fixture
async def adapter(fake: FakeTelegram, engine: StandInEngine) -> AsyncIterator[TelegramAdapter]:
    telegram = TelegramAdapter(settings=settings_for(fake), engine=engine, poll_timeout=2)
    await telegram.start()
    try:
        yield telegram
    finally:
        await telegram.stop()


async def test_start_registers_the_command_menu(fake: FakeTelegram, adapter: TelegramAdapter):
    (registered,) = fake.calls_to("setMyCommands")
    commands = registered.params["commands"]
    assert [c["command"] for c in commands] == [c.name for c in command_menu()]
    assert "privacy" in [c["command"] for c in commands]
    assert all(0 < len(c["description"]) <= 256 for c in commands)
    assert fake.calls_to("getMe") and fake.calls_to("deleteWebhook")
    assert all(call.token == TOKEN for call in fake.calls)


async def test_message_is_answered_with_an_inline_keyboard(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    await fake.send_text("/mood")
    (sent,) = await fake.wait_for("sendMessage")

    assert engine.seen == [
        Incoming("telegram", str(USER), "/mood", None, True, False, display_name="Sam")
    ]
    assert sent.params["chat_id"] == str(USER)
    assert sent.params["text"] == "How are you feeling today?"
    assert sent.params["parse_mode"] == "HTML"
    keyboard = sent.params["reply_markup"]["inline_keyboard"]
    assert [[key["callback_data"] for key in row] for row in keyboard] == [
        ["mood:1", "mood:2", "mood:3", "mood:4", "mood:5"]
    ]


async def test_reply_text_is_escaped_for_html(fake: FakeTelegram, adapter: TelegramAdapter):
    await fake.send_text("I <3 Q&A <b>")
    (sent,) = await fake.wait_for("sendMessage")
    assert sent.params["text"] == "You said: I &lt;3 Q&amp;A &lt;b&gt;"


async def test_button_press_is_answered_and_its_keyboard_removed(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    await fake.send_text("/mood")
    (question,) = await fake.wait_for("sendMessage")

    query_id = await fake.press(fake.message(question), "mood:3")

    (answered,) = await fake.wait_for("answerCallbackQuery")
    assert answered.params["callback_query_id"] == query_id
    (edited,) = await fake.wait_for("editMessageText")
    assert edited.params["message_id"] == str(fake.message(question)["message_id"])
    assert edited.params["text"] == "How are you feeling today?\n\n<i>✓ 3</i>"
    assert "reply_markup" not in edited.params
    _, noted = await fake.wait_for("sendMessage", 2)
    assert noted.params["text"] == "Noted: mood:3"
    assert engine.seen[-1].payload == "mood:3" and engine.seen[-1].text == ""


async def test_second_press_on_the_same_message_is_ignored(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    await fake.send_text("/mood")
    (question,) = await fake.wait_for("sendMessage")
    original = dict(fake.message(question))
    await fake.press(original, "mood:2")
    await fake.wait_for("sendMessage", 2)
    await fake.press(original, "mood:4")
    await fake.wait_for("answerCallbackQuery", 2)

    assert [i.payload for i in engine.seen] == [None, "mood:2"]


async def test_chart_is_sent_as_a_photo_after_an_upload_action(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    await fake.send_text("/chart")
    (photo,) = await fake.wait_for("sendPhoto")
    assert photo.files["photo"] == PNG
    assert photo.params["caption"] == "Your mood this month"
    actions = [c.params["action"] for c in fake.calls_to("sendChatAction")]
    assert actions == ["upload_photo"]
    assert not fake.calls_to("sendMessage")


async def test_export_is_sent_as_a_document(fake: FakeTelegram, adapter: TelegramAdapter):
    await fake.send_text("/export")
    (document,) = await fake.wait_for("sendDocument")
    assert document.files["document"] == b"{}"
    assert document.params["document"] == {"filename": "me.json"}
    assert document.params["caption"] == "Everything I keep about you"


async def test_long_reply_is_split_with_the_keyboard_on_the_last_part(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    long_text = " ".join(["resilience"] * 1000)  # 10 999 characters
    await adapter.send(str(USER), [Reply(long_text, buttons=(Button("Thanks", "thanks"),))])

    parts = fake.calls_to("sendMessage")
    assert len(parts) == 3
    assert all(len(p.params["text"]) <= 4096 for p in parts)
    assert " ".join(p.params["text"] for p in parts) == long_text
    assert [("reply_markup" in p.params) for p in parts] == [False, False, True]


async def test_slow_engine_shows_typing(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    engine.delay = render_module.TYPING_DELAY + 0.4
    await fake.send_text("hello")
    await fake.wait_for("sendMessage")
    assert [c.params["action"] for c in fake.calls_to("sendChatAction")] == ["typing"]


async def test_blocked_user_is_marked_unreachable(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await fake.send_text("hello")
    await fake.wait_for("sendMessage")
    for _ in range(50):
        if engine.unreachable:
            break
        await asyncio.sleep(0.02)
    assert engine.unreachable == [("telegram", str(USER))]
    assert not fake.calls_to("sendMessage")[1:], "no apology to someone who blocked us"


async def test_outlet_send_raises_recipient_unreachable_on_403(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(RecipientUnreachable):
        await adapter.send(str(USER), [Reply("Time for a check-in")])


async def test_outlet_send_delivers_to_the_private_chat(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    assert adapter.platform == "telegram"
    await adapter.send("99", [Reply("A small affirmation", buttons=(Button("Thanks", "t"),))])
    (sent,) = fake.calls_to("sendMessage")
    assert sent.params["chat_id"] == "99"
    assert sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "t"


# PTB's own RetryAfter constructor warns about its int-to-timedelta migration.
RETRY_AFTER_WARNING = "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"


@pytest.mark.filterwarnings(RETRY_AFTER_WARNING)
async def test_an_answer_to_a_person_is_tried_again_after_retry_after(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await fake.send_text("hello")
    refused, answered = await fake.wait_for("sendMessage", 2)
    assert refused.params["text"] == answered.params["text"] == "You said: hello"


@pytest.mark.filterwarnings(RETRY_AFTER_WARNING)
async def test_a_scheduled_send_is_not_retried_by_ptb_but_becomes_rate_limited(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    """The scheduler owns the pace and the retries of scheduled sends (core/delivery.py):
    PTB's limiter sends once and hands the 429 over."""
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RateLimited) as raised:
        await adapter.send(str(USER), [Reply("Keep going")])
    assert raised.value.retry_after == 7
    assert len(fake.calls_to("sendMessage")) == 1


async def test_failing_update_gets_an_apology_and_the_next_still_runs(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    await fake.send_text("boom")
    (apology,) = await fake.wait_for("sendMessage")
    assert apology.params["text"] == adapter_module.APOLOGY
    await fake.send_text("still there?")
    _, answer = await fake.wait_for("sendMessage", 2)
    assert answer.params["text"] == "You said: still there?"


async def test_group_commands_are_for_this_bot_only(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    group = {"id": -100500, "type": "supergroup", "title": "Job club"}
    await fake.send_text("/mood@other_bot", chat=group)
    asked = await fake.send_text(f"/mood@{BOT_USER['username']} 3", chat=group)
    (sent,) = await fake.wait_for("sendMessage")

    assert [i.text for i in engine.seen] == ["/mood 3"]
    assert engine.seen[0].private is False and engine.seen[0].user_id == str(USER)
    assert sent.params["chat_id"] == "-100500"
    assert sent.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]


async def test_stop_leaves_no_tasks_behind(engine: StandInEngine):
    before = asyncio.all_tasks()
    async with FakeTelegram(TOKEN) as server:
        telegram = TelegramAdapter(settings=settings_for(server), engine=engine, poll_timeout=2)
        await telegram.start()
        await server.send_text("hi")
        await server.wait_for("sendMessage")
        await telegram.stop()
    await asyncio.sleep(0)
    assert asyncio.all_tasks() - before == set()


def test_application_is_never_built_with_run_polling():
    source = (adapter_module.__file__ or "").replace(".pyc", ".py")
    with open(source, encoding="utf-8") as handle:
        assert "run_polling" not in handle.read().replace("never ``run_polling``", "")
    assert Application  # the adapter drives initialize/start/updater itself


async def test_group_buttons_belong_to_the_person_they_were_shown_to(
    fake: FakeTelegram, adapter: TelegramAdapter, engine: StandInEngine
):
    group = {"id": -100500, "type": "supergroup", "title": "Job club"}
    await fake.send_text(f"/mood@{BOT_USER['username']}", chat=group)
    (question,) = await fake.wait_for("sendMessage")
    keyboard = fake.message(question)

    await fake.press(keyboard, "mood:1", user_id=5151)  # another member of the group
    (refused,) = await fake.wait_for("answerCallbackQuery")
    assert refused.params["text"] == adapter_module.NOT_YOURS
    assert [i.payload for i in engine.seen] == [None]
    assert not fake.calls_to("editMessageText") and not fake.calls_to("editMessageReplyMarkup")

    await fake.press(keyboard, "mood:2")  # the owner's press still counts
    await fake.wait_for("editMessageText")
    _, noted = await fake.wait_for("sendMessage", 2)
    assert [i.payload for i in engine.seen] == [None, "mood:2"]
    assert noted.params["text"] == "Noted: mood:2"
    # The answer replies to the owner's message too, so its buttons stay theirs.
    assert (
        noted.params["reply_parameters"]["message_id"] == keyboard["reply_to_message"]["message_id"]
    )


class UnevenEngine(StandInEngine):
    """Some messages take longer to handle than the ones after them."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        if incoming.text.endswith(("0", "3", "7")):
            await asyncio.sleep(0.05)
        return await super().handle(incoming)


async def test_a_burst_from_one_person_is_answered_in_order(fake: FakeTelegram):
    engine = UnevenEngine()
    telegram = TelegramAdapter(settings=settings_for(fake), engine=engine, poll_timeout=2)
    await telegram.start()
    try:
        texts = [f"message {n}" for n in range(30)]
        for text in texts:
            await fake.send_text(text)
        sent = await fake.wait_for("sendMessage", len(texts))
    finally:
        await telegram.stop()
    assert [call.params["text"] for call in sent] == [f"You said: {t}" for t in texts]
