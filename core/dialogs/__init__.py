"""Every dialog the engine knows. A new command gets a module here and a line below."""

from __future__ import annotations

from core.dialog import Dialog
from core.dialogs import (
    affirmation,
    checkin,
    debrief,
    help,
    mood,
    onboarding,
    pause,
    privacy,
    schedule,
    sos,
    strengths,
    toolkit,
)


def all_dialogs() -> tuple[Dialog, ...]:
    return (
        onboarding.DIALOG,
        help.DIALOG,
        strengths.DIALOG,
        mood.DIALOG,
        debrief.DIALOG,
        toolkit.DIALOG,
        schedule.DIALOG,
        pause.DIALOG,
        affirmation.DIALOG,
        checkin.DIALOG,
        privacy.DIALOG,
        sos.DIALOG,
    )
