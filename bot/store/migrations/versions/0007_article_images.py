"""Lead images: articles.image_url, the http(s) URL of a story's picture as its source gave it (never fetched at ingest).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("image_url", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "image_url")
