"""pipeline: a rejection names its application and the day it came; an application
remembers the ghosted question was asked

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("happened_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_rejections_application_id_applications"),
            "applications",
            ["application_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ghost_asked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("ghost_asked_at")
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_rejections_application_id_applications"), type_="foreignkey"
        )
        batch_op.drop_column("happened_on")
        batch_op.drop_column("application_id")
