"""/link and /unlink: one person's records on two platforms joined and separated, on
the real engine and a real SQLite file."""

from __future__ import annotations

from sqlalchemy import func, select

from core.engine import Engine
from core.messages import Incoming, Reply
from storage.database import Database
from storage.models import MoodEntry, Schedule, Strength, User
from storage.repositories import users
from tests.conftest import FakeClock
from tests.harness import Chat


def on(engine: Engine, platform: str, user: str) -> Chat:
    return Chat(engine, user=user, platform=platform)


async def link_code(chat: Chat) -> str:
    await chat.send("/link")
    return chat.text.split("/link ", 1)[1].split()[0]


async def test_joining_two_records_with_data_loses_no_row(engine: Engine, db: Database):
    tg, dc = on(engine, "telegram", "111"), on(engine, "discord", "999")
    await tg.send("/strengths add Patient")
    await tg.send("/timezone Europe/Berlin")
    await tg.send("/affirmations 09:00")
    await tg.send("/mood 4")
    await dc.send("/strengths add Funny")
    await dc.send("/affirmations 07:30")
    await dc.send("/checkins mon 18:00")
    await dc.send("/mood 2")

    await dc.send(f"/link {await link_code(tg)}")
    assert "Joined" in dc.text
    await dc.press("Telegram")
    assert "go to Telegram" in dc.text

    for chat in (tg, dc):
        await chat.send("/strengths")
        assert "1. Patient" in chat.text and "2. Funny" in chat.text
    await dc.send("/settings")
    assert "Europe/Berlin" in dc.text and "09:00" in dc.text  # Telegram's setting won
    assert "18:00" in dc.text  # Discord's check-ins, which Telegram lacked, came along
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(MoodEntry)) == 2
        owners = set((await session.scalars(select(Strength.user_id))).all())
        assert len(owners) == 1
        zones = set((await session.scalars(select(Schedule.timezone))).all())
        assert zones == {"Europe/Berlin"}


async def test_scheduled_messages_go_where_the_person_chooses(engine: Engine, db: Database):
    tg, dc = on(engine, "telegram", "111"), on(engine, "discord", "999")
    await dc.send(f"/link {await link_code(tg)}")
    await dc.press("Discord")
    async with db.read() as session:
        record = await session.scalar(select(User).where(User.linked_to.is_(None)))
    assert record is not None and (record.platform, record.external_id) == ("discord", "999")
    await tg.send("/link")
    assert "go to Discord" in tg.text


async def test_unlink_keeps_the_record_where_the_person_says(engine: Engine, db: Database):
    tg, dc = on(engine, "telegram", "111"), on(engine, "discord", "999")
    await tg.send("/strengths add Patient")
    await dc.send(f"/link {await link_code(tg)}")
    await dc.press("Telegram")
    await tg.send("/unlink")
    await tg.press("Discord")
    assert "stays on Discord" in tg.text
    await dc.send("/strengths")
    assert "Patient" in dc.text
    await tg.send("/strengths")
    assert "Patient" not in tg.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 2
        assert await session.scalar(select(User).where(User.linked_to.is_not(None))) is None


async def test_bad_expired_reused_and_same_platform_codes_change_nothing(
    engine: Engine, db: Database, clock: FakeClock
):
    tg, dc, other_tg = (
        on(engine, "telegram", "111"),
        on(engine, "discord", "999"),
        on(engine, "telegram", "222"),
    )
    await dc.send("/link ZZZZZZZZ")
    assert "doesn't match" in dc.text
    code = await link_code(tg)
    await other_tg.send(f"/link {code}")
    assert "Telegram too" in other_tg.text
    code = await link_code(tg)
    clock.advance(minutes=11)
    await dc.send(f"/link {code}")
    assert "expired" in dc.text
    async with db.read() as session:
        assert await session.scalar(select(User).where(User.linked_to.is_not(None))) is None


async def test_a_refused_use_of_a_code_leaves_it_for_the_other_platform(engine: Engine):
    tg, dc, other_tg, other_dc = (
        on(engine, "telegram", "111"),
        on(engine, "discord", "999"),
        on(engine, "telegram", "222"),
        on(engine, "discord", "888"),
    )
    code = await link_code(tg)
    await tg.send(f"/link {code}")
    assert "this account" in tg.text and "other platform" in tg.text
    await other_tg.send(f"/link {code}")
    assert "Telegram too" in other_tg.text
    await dc.send(f"/link {code}")  # as the answers advised: it still works
    assert "Joined" in dc.text
    await other_dc.send(f"/link {code}")  # one use: the join spent it
    assert "doesn't match" in other_dc.text


async def test_delete_from_either_platform_erases_both_accounts(engine: Engine, db: Database):
    tg, dc = on(engine, "telegram", "111"), on(engine, "discord", "999")
    await tg.send("/strengths add Patient")
    await dc.send(f"/link {await link_code(tg)}")
    await dc.press("Telegram")
    await dc.send("/export")
    exported = (dc.last[0].attachment.data or b"").decode()  # type: ignore[union-attr]
    assert '"discord"' in exported and '"telegram"' in exported
    await dc.send("/delete")
    await dc.press("Yes, delete")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        assert await users.find(session, "discord", "999") is None


async def test_a_linked_account_in_a_group_sees_nothing_personal(engine: Engine):
    tg, dc = on(engine, "telegram", "111"), on(engine, "discord", "999")
    await tg.send("/strengths add Patient")
    await dc.send(f"/link {await link_code(tg)}")
    replies: list[Reply] = await engine.handle(
        Incoming("discord", "999", text="/strengths", private=False)
    )
    assert all("Patient" not in r.text for r in replies)
