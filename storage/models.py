"""The tables Rebound keeps. Every row that belongs to a person carries ``user_id``.

Datetimes are stored as UTC and come back timezone-aware (``UTCDateTime``), on SQLite
and PostgreSQL alike. ``/export`` and ``/delete`` find a person's rows through the
``user_id`` foreign keys of this metadata, so a new table is covered automatically.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; stored naive in UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, date: Date}


def _owner() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


def _id() -> Mapped[int]:
    return mapped_column(Integer, primary_key=True)


class User(Base):
    """A person, as known on one platform."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    country: Mapped[str | None] = mapped_column(String(2))
    mood_consent: Mapped[bool | None] = mapped_column(Boolean)
    onboarded: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_goal: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    unreachable_at: Mapped[datetime | None]
    crisis_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    strengths_offered_on: Mapped[date | None]
    linked_to: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    """Set on a linked account (``/link``): the record it shows is that person's row."""


class ConversationState(Base):
    """Where a person is in a guided dialog; survives restarts."""

    __tablename__ = "conversation_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    dialog: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    nonce: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class Strength(Base):
    __tablename__ = "strengths"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))
    """``professional``, ``personal`` or unset."""
    source: Mapped[str | None] = mapped_column(String(16))
    """``self`` or ``friend`` (someone else named it)."""
    created_at: Mapped[datetime]


class MoodEntry(Base):
    __tablename__ = "mood_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    score: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)


class Rejection(Base):
    __tablename__ = "rejections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str | None] = mapped_column(String(32))
    interviewer: Mapped[str | None] = mapped_column(String(200))
    feeling: Mapped[int | None]
    steps: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Step name -> ``done`` / ``later`` / ``skipped``."""
    takeaway: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    """The application this rejection closed, when the person had logged one."""
    happened_on: Mapped[date | None]
    """The local day the person said it came ("yesterday"), when not the day reported."""


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    applied_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="applied")
    """``applied``, ``interview``, ``offer``, ``rejected``, ``withdrawn`` or ``ghosted``."""
    status_changed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    ghost_asked_at: Mapped[datetime | None]
    """When a check-in asked whether to close this silent application as ghosted (once)."""


class FeedbackRequest(Base):
    __tablename__ = "feedback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    rejection_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejections.id", ondelete="SET NULL")
    )
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    interviewer: Mapped[str | None] = mapped_column(String(200))
    remind: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="sent")
    """``drafted``, ``sent``, ``answered``, ``vague`` or ``dropped``."""
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class SkillItem(Base):
    __tablename__ = "skill_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(64))
    rejection_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejections.id", ondelete="SET NULL")
    )
    target_date: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Target(Base):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    company: Mapped[str] = mapped_column(String(200))
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Checklist item id -> True when ticked."""
    created_at: Mapped[datetime]


class Reflection(Base):
    """A person's own answer to a reflection or reframing prompt."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    rejection_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejections.id", ondelete="SET NULL")
    )
    prompt_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Schedule(Base):
    """One recurring message for one person: the zone, local time and next due instant."""

    __tablename__ = "schedules"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        Index("ix_schedules_due", "enabled", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    """``affirmation``, ``checkin`` or ``summary``."""
    local_time: Mapped[str] = mapped_column(String(5))
    """``HH:MM`` in the person's zone."""
    days: Mapped[str] = mapped_column(String(32), default="daily")
    """``daily`` or comma-separated weekdays: ``mon,thu``."""
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_due_at: Mapped[datetime | None]


class Delivery(Base):
    """The outbox: one row per (person, kind, local date) makes a delivery happen once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "local_date"),
        Index("ix_deliveries_pending", "status", "created_at"),
        Index("ix_deliveries_claim", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    local_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """``pending``, ``sending``, ``sent``, ``skipped`` or ``failed``."""
    content_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    outcome_unknown: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Status ``sent``, but the platform never confirmed it (a read timeout after the
    request went out): recorded as sent rather than risk sending it twice."""
    shown_at: Mapped[datetime | None]
    """Terminal people: when the chat showed it (None: printed by ``dispatch`` only)."""


class CheckinAnswer(Base):
    """A quick answer to a "keep applying" check-in: how many applications, heard back."""

    __tablename__ = "checkin_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    question: Mapped[str] = mapped_column(String(16))
    """``applied``, ``heard`` or ``nudge``."""
    answer: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class AffirmationSeen(Base):
    __tablename__ = "affirmations_seen"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    affirmation_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime]


class CrisisEvent(Base):
    """That a risk message was answered, when, and in which safety tier (``crisis``: the
    crisis reply; ``ask``: the direct question). Never the text."""

    __tablename__ = "crisis_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    occurred_at: Mapped[datetime]
    tier: Mapped[str] = mapped_column(String(8), default="crisis", server_default="crisis")


class VariantUse(Base):
    """When a person last saw one wording of a frequent message (``core/variety.py``):
    the next time, a wording they have not seen lately is chosen."""

    __tablename__ = "variant_uses"
    __table_args__ = (UniqueConstraint("user_id", "key", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    key: Mapped[str] = mapped_column(String(64))
    """The content key of the list, e.g. ``debrief.open``."""
    variant: Mapped[int] = mapped_column(Integer)
    """Index of the wording in that list."""
    used_at: Mapped[datetime]


class Interview(Base):
    """An interview a person told Rebound about (the good-news dialog): a good-luck
    note on the day and "how did it go?" the day after ride on their check-ins."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _owner()
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[date | None]
    """The local date of the interview in the person's zone; None if not known."""
    wished_at: Mapped[datetime | None]
    asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Invite(Base):
    """A person's invitation to friends to add a strength (``/invite``; a friend uses the
    code with ``/vouch CODE`` or the Telegram deep link)."""

    __tablename__ = "invites"

    id: Mapped[int] = _id()
    user_id: Mapped[int] = _owner()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    """Set when the person withdrew the invite or blocked what comes through it."""
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)


class Contribution(Base):
    """One strength a friend wrote through an invite, waiting for the person's decision.

    Holds the friend's words and, if they gave it, how they named themselves: nothing
    else about the friend (no platform id, no link to any record of theirs)."""

    __tablename__ = "contributions"

    id: Mapped[int] = _id()
    user_id: Mapped[int] = _owner()
    invite_id: Mapped[int | None] = mapped_column(
        ForeignKey("invites.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    """A short note of encouragement, if the friend wrote one."""
    signed: Mapped[str | None] = mapped_column(String(40))
    """How the friend named themselves ("your sister"), or unset."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """``pending``, ``kept`` or ``declined``."""
    strength_id: Mapped[int | None] = mapped_column(ForeignKey("strengths.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class LinkCode(Base):
    """A one-time code (``/link``) that joins this person's record with their account on
    another platform; valid for a few minutes."""

    __tablename__ = "link_codes"

    id: Mapped[int] = _id()
    user_id: Mapped[int] = _owner()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    expires_at: Mapped[datetime]


class SchedulerClock(Base):
    """What the scheduler last believed the time to be (one row, ``id`` 1).

    ``last_pass_at`` is the instant of the latest pass that planned; ``unconfirmed_at``
    a reading that jumped far from it and waits for a second pass to agree
    (core/clock_rule.py). Holds no personal data.
    """

    __tablename__ = "scheduler_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_pass_at: Mapped[datetime | None]
    unconfirmed_at: Mapped[datetime | None]
