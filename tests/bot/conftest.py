"""Fixtures for bot/ tests: a loopback web server serving pages and feeds, and the topics in force."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.topics import Topics, load_topics
from tests.bot.helpers import LoopbackSite


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    """A real HTTP server on 127.0.0.1 serving what the test puts on it (pages, feeds, faults)."""
    with LoopbackSite() as running:
        yield running


@pytest.fixture(scope="session")
def topics() -> Topics:
    """The shipped topics."""
    return load_topics()
