"""Saved searches: chat_searches, a chat's own words pushed each morning like a topic.

A search's key is its terms as matched (lower case, in the order typed, each
once, one space between them); a chat has each key once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("label", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["subscribers.chat_id"], name="fk_chat_searches_chat_id_subscribers", ondelete="CASCADE", onupdate="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_chat_searches"),
        sa.UniqueConstraint("chat_id", "key", name="uq_chat_searches_chat_id_key"),
    )
    op.create_index("ix_chat_searches_chat_id", "chat_searches", ["chat_id"])


def downgrade() -> None:
    op.drop_index("ix_chat_searches_chat_id", table_name="chat_searches")
    op.drop_table("chat_searches")
