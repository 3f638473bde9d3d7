"""Articles indexed by (published_at, id): the oldest id in a time window is read from the index alone.

Search reads the newest matches in id ranges and stops at the oldest id published
in the window; on PostgreSQL the id has to be in the index for that to be an
index-only scan. The index replaces the one on published_at alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 17:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_published_at_id", "articles", ["published_at", "id"])
    op.drop_index("ix_articles_published_at", table_name="articles")


def downgrade() -> None:
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.drop_index("ix_articles_published_at_id", table_name="articles")
