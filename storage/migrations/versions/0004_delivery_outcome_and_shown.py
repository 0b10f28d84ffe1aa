"""delivery outcome unknown, and shown in the terminal chat

``outcome_unknown``: a send whose outcome is unknown (the request went out, the answer
never came) is recorded as sent, with this flag, instead of being sent again.
``shown_at``: when the terminal chat showed a delivery to its person (what ``dispatch``
printed while the chat was closed is shown at the chat's next start).

Revision ID: 0004
Revises: 0007
Create Date: 2026-11-29 23:59:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome_unknown", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("shown_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("shown_at")
        batch_op.drop_column("outcome_unknown")
