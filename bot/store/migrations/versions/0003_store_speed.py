"""Store speed: articles indexed by (published_at, id), story bands by (band, published_at).

Search reads the newest matches in id ranges and stops at the oldest id published
in the window; on PostgreSQL the id has to be in the index for that to be an
index-only scan. The index replaces the one on published_at alone.

A new article's near-copy candidates are the articles sharing a band published
within days of it: story_bands gets the article's publication time (filled from
articles) and an index on (band, published_at, article_id), so the look-up reads
only those, however many older articles share the band.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 17:05:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_published_at_id", "articles", ["published_at", "id"])
    op.drop_index("ix_articles_published_at", table_name="articles")
    # Plain ALTER TABLE (a batch copy would rebuild the table); the default only fills the rows at once.
    op.add_column(
        "story_bands",
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False, server_default="1970-01-01 00:00:00"),
    )
    op.execute(
        "UPDATE story_bands SET published_at = (SELECT articles.published_at FROM articles WHERE articles.id = story_bands.article_id)"
    )
    op.create_index("ix_story_bands_band_published_at", "story_bands", ["band", "published_at", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_story_bands_band_published_at", table_name="story_bands")
    op.drop_column("story_bands", "published_at")
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.drop_index("ix_articles_published_at_id", table_name="articles")
