"""What counts as "seen" for the 30-day no-repeat rule: scheduled affirmations (kept as
the outbox row's content id) and asked-for ones alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.delivery import Dispatcher
from core.outbox import DeliverySettings
from storage.repositories import deliveries, users
from tests.harness import Chat
from tests.test_dispatch import RecordingOutlet


async def test_a_scheduled_affirmation_counts_as_seen_and_not_as_asked_for(chat: Chat, db, clock):
    outlet = RecordingOutlet()
    dispatcher = Dispatcher(db, [outlet], clock=clock, settings=DeliverySettings())
    await chat.send("/affirmations 09:00")
    clock.now = datetime(2026, 3, 3, 9, 0, 30, tzinfo=UTC)
    await dispatcher.run_pass(clock.now)
    assert outlet.kinds() == ["affirmation"]
    async with db.read() as session:
        person = await users.find(session, "terminal", "alice")
        assert person is not None
        seen = await deliveries.affirmations_seen(session, [person.id], clock.now - timedelta(1))
        assert len(seen[person.id]) == 1  # the one just sent
        midnight = datetime(2026, 3, 3, tzinfo=UTC)
        assert await deliveries.asked_since(session, person.id, midnight) == 0
    await chat.send("/affirmation")
    assert chat.text not in {text for *_, text in outlet.sent}  # not the one sent today
    async with db.read() as session:
        assert await deliveries.asked_since(session, person.id, midnight) == 1
