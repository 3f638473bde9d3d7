"""Settings: small values the store keeps about itself, by key.

Such as the digest of the topics the stored topic scores were made with, or
when the pushes were last planned.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select

from bot.store.engine import Store, dialect_insert, transaction, upsert
from bot.store.models import Setting

_SETTINGS = cast(Table, Setting.__table__)


def get_setting(store: Store, key: str) -> str | None:
    """A value the store keeps about itself."""
    with transaction(store, write=False) as session:
        return session.scalar(select(Setting.value).where(Setting.key == key))


def set_setting(store: Store, key: str, value: str) -> None:
    """Keep a value about the store (insert or replace; two processes setting it at once both succeed)."""
    with transaction(store) as session:
        upsert(session, _SETTINGS, [{"key": key, "value": value}], key=["key"], update=["value"])


def claim_setting(store: Store, key: str, value: str) -> bool:
    """Set a value unless it is already that; True for the one caller that changed it (of any number at once).

    What a process starting some one-off work (regrouping the stories) claims it with.
    """
    statement = dialect_insert(store.dialect)(_SETTINGS).values(key=key, value=value)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded.value}, where=_SETTINGS.c.value != statement.excluded.value
    ).returning(_SETTINGS.c.key)
    with transaction(store) as session:
        return session.execute(statement).first() is not None
