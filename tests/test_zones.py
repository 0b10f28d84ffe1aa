"""Time zones as people type them (core/timeparse.py, core/gazetteer.py): city and
country names in any case, with or without accents, places the tz database does not
name (through GeoNames, offline), and buttons for a real ambiguity."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.timeparse import resolve_zone, zone_options
from storage.models import User
from tests.harness import Chat

ZONES = [
    # the examples
    ("/timezone Istanbul", "Europe/Istanbul"),
    ("Istanbul", "Europe/Istanbul"),
    ("Buenos Aires", "America/Argentina/Buenos_Aires"),
    ("buenos aires", "America/Argentina/Buenos_Aires"),
    ("Nicosia", "Asia/Nicosia"),
    ("Indianapolis", "America/Indiana/Indianapolis"),
    ("São Paulo", "America/Sao_Paulo"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("SAO PAULO", "America/Sao_Paulo"),
    ("Zürich", "Europe/Zurich"),
    ("Zurich", "Europe/Zurich"),
    ("zurich", "Europe/Zurich"),
    ("Bogotá", "America/Bogota"),
    ("bogota", "America/Bogota"),
    ("california", "America/Los_Angeles"),
    ("California", "America/Los_Angeles"),
    ("Brooklyn", "America/New_York"),
    # countries and states
    ("Cyprus", "Asia/Nicosia"),
    ("Turkey", "Europe/Istanbul"),
    ("Spain", "Europe/Madrid"),
    ("Colombia", "America/Bogota"),
    ("texas", "America/Chicago"),
    ("Indiana", "America/Indiana/Indianapolis"),
    ("Germany", "Europe/Berlin"),
    ("India", "Asia/Kolkata"),
    ("Mexico", "America/Mexico_City"),
    ("Nigeria", "Africa/Lagos"),
    # cities the tz database does not name
    ("Munich", "Europe/Berlin"),
    ("Köln", "Europe/Berlin"),
    ("Cologne", "Europe/Berlin"),
    ("Kiev", "Europe/Kyiv"),
    ("Kyiv", "Europe/Kyiv"),
    ("Reykjavík", "Atlantic/Reykjavik"),
    ("Montréal", "America/Toronto"),
    ("Kraków", "Europe/Warsaw"),
    ("Málaga", "Europe/Madrid"),
    ("Düsseldorf", "Europe/Berlin"),
    ("Medellín", "America/Bogota"),
    ("Springfield, Illinois", "America/Chicago"),
    ("Austin", "America/Chicago"),
    ("Seattle", "America/Los_Angeles"),
    # tz names, aliases and offsets, as before
    ("asia/kolkata", "Asia/Kolkata"),
    ("Europe/Nicosia", "Europe/Nicosia"),
    ("UTC+5:30", "Asia/Kolkata"),
    ("utc-5", "Etc/GMT+5"),
    ("PST", "America/Los_Angeles"),
    ("Paris, France", "Europe/Paris"),
    ("  New   York. ", "America/New_York"),
]


@pytest.mark.parametrize(("typed", "zone"), ZONES)
def test_a_place_resolves_to_its_zone(typed: str, zone: str):
    assert resolve_zone(typed.removeprefix("/timezone ")) == zone


def test_at_least_forty_zone_inputs():
    assert len(ZONES) >= 40


@pytest.mark.parametrize(
    ("typed", "some"),
    [
        ("USA", {"America/New_York", "America/Chicago", "America/Los_Angeles"}),
        ("Springfield", {"America/Chicago", "America/New_York"}),
        ("Russia", {"Europe/Moscow", "Asia/Yekaterinburg"}),
        ("Australia", {"Australia/Sydney", "Australia/Perth"}),
        ("Canada", {"America/Toronto", "America/Vancouver"}),
    ],
)
def test_a_real_ambiguity_offers_choices(typed: str, some: set[str]):
    options = {zone for zone, _city in zone_options(typed)}
    assert resolve_zone(typed) is None
    assert some <= options and len(options) <= 4


@pytest.mark.parametrize("typed", ["", "Xyzzy Prime", "+10:30", "UTC+15", "!!!"])
def test_unknown_places_are_refused(typed: str):
    assert zone_options(typed) == [] and resolve_zone(typed) is None


async def _zone(db) -> str:
    async with db.read() as session:
        return (await session.scalars(select(User))).one().timezone


async def test_timezone_with_an_accent_and_with_buttons_for_ambiguity(chat: Chat, db):
    await chat.send("/timezone São Paulo")
    assert "Time zone set to America/Sao_Paulo" in chat.text
    await chat.send("/timezone Springfield")
    assert "could be more than one place" in chat.text
    labels = [b.label for b in chat.last[-1].buttons]
    assert any("UTC-" in label for label in labels) and len(labels) >= 2
    await chat.press("UTC-5")  # 2 March: the Springfield on Eastern time
    assert "Time zone set to America/New_York" in chat.text
    assert await _zone(db) == "America/New_York"


async def test_onboarding_offers_buttons_for_an_ambiguous_place(chat: Chat, db):
    await chat.send("/start")
    await chat.send("Sam")
    await chat.send("USA")
    assert "could be more than one place" in chat.text
    await chat.press("Chicago")
    assert await _zone(db) == "America/Chicago"
