"""crisis event tier

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-30 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tier", sa.String(length=8), server_default="crisis", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.drop_column("tier")
