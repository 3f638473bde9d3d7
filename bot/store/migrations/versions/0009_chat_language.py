"""The chat's language: subscribers.language ("en", "ru"; NULL until the chat chooses one with /language).

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("subscribers", "language")
