"""scheduler clock

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_pass_at", sa.DateTime(), nullable=True),
        sa.Column("unconfirmed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_clock")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_clock")
