"""The bot's log never carries the token: in a message, its arguments, a traceback or a stack."""

from __future__ import annotations

import io
import logging

import pytest

from bot.logs import REDACTED, RedactToken, configure_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OTHER = "7654321:BBxyzxyzxyzxyzxyzxyzxyzxyzxyzxyz_-"  # not configured: caught by its shape


@pytest.fixture
def log():
    """A logger writing through a handler with the filter, and what it wrote."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactToken([TOKEN]))
    logger = logging.getLogger("tests.bot.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, written
    logger.removeHandler(handler)


def test_a_token_in_the_message_is_redacted(log):
    logger, written = log
    logger.debug(f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/getMe")
    assert written.getvalue() == f"DEBUG HTTP Request: POST https://api.telegram.org/bot{REDACTED}/getMe\n"


def test_a_token_in_the_arguments_is_redacted(log):
    class Url:  # httpx passes a URL object: its str carries the token
        def __str__(self) -> str:
            return f"https://api.telegram.org/bot{TOKEN}/getUpdates"

    logger, written = log
    logger.info("HTTP Request: %s %s", "POST", Url())
    logger.info("token %(token)s", {"token": TOKEN})
    assert TOKEN not in written.getvalue()
    assert written.getvalue().splitlines() == [
        f"INFO HTTP Request: POST https://api.telegram.org/bot{REDACTED}/getUpdates",
        f"INFO token {REDACTED}",
    ]


def test_a_token_in_an_exceptions_traceback_is_redacted(log):
    logger, written = log
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
    except ValueError:
        logger.exception("start failed")
    text = written.getvalue()
    assert "Traceback (most recent call last)" in text
    assert f"ValueError: The token `{REDACTED}` was rejected by the server." in text
    assert TOKEN not in text


def test_a_token_in_the_stack_is_redacted(log):
    logger, written = log
    # The stack shows this source line, the token in it.
    (lambda: logger.warning("here", stack_info=True))() or "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    assert TOKEN not in written.getvalue()
    assert f'or "{REDACTED}"' in written.getvalue()
    assert "Stack (most recent call last)" in written.getvalue()


def test_anything_shaped_like_a_bot_token_is_redacted_and_nothing_else(log):
    logger, written = log
    logger.info("other bot %s; chat 123456789; at 12:30; id 1234567:short", OTHER)
    assert written.getvalue() == f"INFO other bot {REDACTED}; chat 123456789; at 12:30; id 1234567:short\n"


def test_configure_logging_puts_the_filter_on_every_root_handler(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    written = io.StringIO()
    monkeypatch.setattr("sys.stderr", written)
    configure_logging("info", TOKEN)
    configure_logging("info", TOKEN)  # twice: one filter
    [handler] = root.handlers
    assert sum(isinstance(item, RedactToken) for item in handler.filters) == 1
    logging.getLogger("httpx").warning("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    assert TOKEN not in written.getvalue()
    assert REDACTED in written.getvalue()
