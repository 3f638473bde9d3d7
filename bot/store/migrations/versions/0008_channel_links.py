"""Channels: channel_links, who linked which channel (a channel is a subscriber whose chat id is the channel's).

`stop_told_at` is when the linking user was told the channel stopped (the bot was removed or may no
longer post), so they are told once; it is cleared when the channel posts again.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_links",
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("linked_by", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stop_told_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["subscribers.chat_id"], name="fk_channel_links_channel_id_subscribers", ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", name="pk_channel_links"),
    )
    op.create_index("ix_channel_links_linked_by", "channel_links", ["linked_by"])


def downgrade() -> None:
    op.drop_index("ix_channel_links_linked_by", table_name="channel_links")
    op.drop_table("channel_links")
