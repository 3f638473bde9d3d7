"""Settings: small values the store keeps about itself, by key.

Such as the digest of the topics the stored topic scores were made with, or
when the pushes were last planned.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.store.engine import Store, transaction
from bot.store.models import Setting


def get_setting(store: Store, key: str) -> str | None:
    """A value the store keeps about itself."""
    with transaction(store, write=False) as session:
        return session.scalar(select(Setting.value).where(Setting.key == key))


def set_setting(store: Store, key: str, value: str) -> None:
    """Keep a value about the store (insert or replace)."""
    with transaction(store) as session:
        record = session.get(Setting, key)
        if record is None:
            session.add(Setting(key=key, value=value))
        else:
            record.value = value
