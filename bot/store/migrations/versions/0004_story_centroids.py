"""Story centroids: one JSON value on the story instead of a row a term; story_terms keeps only the index rows.

Matching an article loads the centroids of its candidate stories and writes
back those that grew: with a row per term that was 150 rows read and 150 deleted
and inserted for each, where one value is read and written now. story_terms
keeps the terms a story is found by (its heaviest by weight x idf), and only them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 03:40:00
"""

from __future__ import annotations

import json
from collections import defaultdict

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_STORIES = sa.table("stories", sa.column("id", sa.Integer()), sa.column("centroid", sa.JSON()))


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("stories", sa.Column("centroid", _json(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    centroids: dict[int, dict[str, float]] = defaultdict(dict)
    for story_id, term, weight in connection.execute(sa.text("SELECT story_id, term, weight FROM story_terms")):
        centroids[story_id][term] = weight
    rows = [{"story": story_id, "centroid": json.dumps(centroid)} for story_id, centroid in centroids.items()]
    if rows:
        cast = "CAST(:centroid AS JSONB)" if connection.dialect.name == "postgresql" else ":centroid"
        connection.execute(sa.text(f"UPDATE stories SET centroid = {cast} WHERE id = :story"), rows)
    op.execute("DELETE FROM story_terms WHERE NOT indexed")
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): neither column is in a key or an index.
    op.drop_column("story_terms", "indexed")
    op.drop_column("story_terms", "weight")


def downgrade() -> None:
    op.add_column("story_terms", sa.Column("weight", sa.Float(), nullable=False, server_default="0"))
    op.add_column("story_terms", sa.Column("indexed", sa.Boolean(), nullable=False, server_default=sa.true()))
    connection = op.get_bind()
    found_by = {(story_id, term) for story_id, term in connection.execute(sa.text("SELECT story_id, term FROM story_terms"))}
    last = dict(connection.execute(sa.text("SELECT id, last_published_at FROM stories")).all())
    updates, inserts = [], []
    for story_id, centroid in connection.execute(sa.select(_STORIES.c.id, _STORIES.c.centroid)):
        for term, weight in (centroid or {}).items():
            row = {"story": story_id, "term": term, "weight": weight}
            if (story_id, term) in found_by:
                updates.append(row)
            else:
                inserts.append({**row, "last": last[story_id]})
    if updates:
        connection.execute(sa.text("UPDATE story_terms SET weight = :weight WHERE story_id = :story AND term = :term"), updates)
    if inserts:
        connection.execute(
            sa.text("INSERT INTO story_terms (story_id, term, weight, indexed, last_published_at) "
                    "VALUES (:story, :term, :weight, false, :last)"),
            inserts,
        )
    op.drop_column("stories", "centroid")
