"""Quiet pushes and mutes: subscribers.quiet, and chat_mutes (the words and stories a chat leaves out).

A mute's key is its words as matched (lower case, one space between words) or
'#<story id>' for a story hidden with its button; a chat has each key once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 04:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("quiet", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "chat_mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["subscribers.chat_id"], name="fk_chat_mutes_chat_id_subscribers", ondelete="CASCADE", onupdate="CASCADE"
        ),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_chat_mutes_story_id_stories", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_chat_mutes"),
        sa.UniqueConstraint("chat_id", "key", name="uq_chat_mutes_chat_id_key"),
    )
    op.create_index("ix_chat_mutes_chat_id", "chat_mutes", ["chat_id"])


def downgrade() -> None:
    op.drop_index("ix_chat_mutes_chat_id", table_name="chat_mutes")
    op.drop_table("chat_mutes")
    op.drop_column("subscribers", "quiet")
