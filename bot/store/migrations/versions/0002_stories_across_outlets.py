"""Stories across outlets: story centroids (story_terms) found by term, document frequencies, story summaries,
the sentences each chat was shown of a story (for "what's new"), each quote's person key, and the old ids of groups that became supergroups.

Existing stores keep their stories (wire copies) until they are re-clustered:
the store's upkeep sees the clustering version change and rebuilds them on the
next start (`newsbrief stories --rebuild` does it by hand).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite >= 3.35 adds and drops columns itself): a batch copy of `articles`
    # would lose the full-text triggers.
    op.add_column("stories", sa.Column("outlet_count", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("stories", sa.Column("summary", _json(), nullable=False, server_default="[]"))
    op.add_column("stories", sa.Column("summary_stale", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_stories_last_published_at", "stories", ["last_published_at"])
    op.create_index("ix_stories_summary_stale", "stories", ["summary_stale"])
    op.add_column("articles", sa.Column("copy_of", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("story_terms", _json(), nullable=False, server_default="{}"))
    op.create_table(
        "story_terms",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=80), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name=op.f("fk_story_terms_story_id_stories"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id", "term", name=op.f("pk_story_terms")),
    )
    op.create_index("ix_story_terms_term_last_published_at", "story_terms", ["term", "last_published_at"])
    op.add_column("sent_stories", sa.Column("shown", _json(), nullable=False, server_default="[]"))
    op.add_column("quotes", sa.Column("person_key", sa.String(length=200), nullable=False, server_default=""))
    op.create_table(
        "chat_migrations",
        sa.Column("old_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("new_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("migrated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("old_chat_id", name=op.f("pk_chat_migrations")),
    )
    op.create_index("ix_quotes_person_key", "quotes", ["person_key"])
    op.create_table(
        "term_counts",
        sa.Column("term", sa.String(length=80), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_term_counts")),
    )


def downgrade() -> None:
    op.drop_table("term_counts")
    op.drop_table("chat_migrations")
    op.drop_index("ix_quotes_person_key", table_name="quotes")
    op.drop_column("quotes", "person_key")
    op.drop_column("sent_stories", "shown")
    op.drop_index("ix_story_terms_term_last_published_at", table_name="story_terms")
    op.drop_table("story_terms")
    op.drop_column("articles", "story_terms")
    op.drop_column("articles", "copy_of")
    op.drop_index("ix_stories_summary_stale", table_name="stories")
    op.drop_index("ix_stories_last_published_at", table_name="stories")
    op.drop_column("stories", "summary_stale")
    op.drop_column("stories", "summary")
    op.drop_column("stories", "outlet_count")
