"""Every dialog the engine knows. A new command gets a module here and a line below."""

from __future__ import annotations

from core.dialog import Dialog
from core.dialogs import (
    affirmation,
    applied,
    chart,
    checkin,
    debrief,
    feedback,
    good_news,
    help,
    invite,
    link,
    mood,
    news,
    onboarding,
    pause,
    privacy,
    progress,
    records,
    schedule,
    skills,
    sos,
    strengths,
    targets,
    vouch,
)


def all_dialogs() -> tuple[Dialog, ...]:
    return (
        onboarding.DIALOG,
        help.DIALOG,
        strengths.DIALOG,
        mood.DIALOG,
        debrief.DIALOG,
        applied.DIALOG,
        progress.DIALOG,
        feedback.DIALOG,
        skills.DIALOG,
        targets.DIALOG,
        chart.DIALOG,
        schedule.DIALOG,
        pause.DIALOG,
        affirmation.DIALOG,
        checkin.DIALOG,
        records.DIALOG,
        news.DIALOG,
        privacy.DIALOG,
        sos.DIALOG,
        good_news.DIALOG,
        invite.DIALOG,
        vouch.DIALOG,
        link.DIALOG,
    )
