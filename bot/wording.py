"""N_: marks an English message for the translation catalogue where it is written; it is translated where it is sent.

The bot's catalogue lives in handlers/locales (handlers/translations.py reads it); modules on this floor
only mark the messages they hand up, so `pybabel extract` finds them, and stay in English themselves.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """The message unchanged: a mark for `pybabel extract` (gettext_noop)."""
    return message
