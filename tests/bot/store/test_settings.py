"""Settings on SQLite and PostgreSQL: set by two processes at once, and claimed by exactly one."""

from __future__ import annotations

import threading

from bot.store import claim_setting, get_setting, set_setting
from tests.conftest import Backend


def at_once(backend: Backend, work: object, count: int = 4) -> list[object]:
    """Run `work(store)` in `count` threads, each with a store of its own, started together."""
    stores = [backend.open() for _ in range(count)]
    start = threading.Barrier(count)
    results: list[object] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(stores[index])  # type: ignore[operator]
        except Exception as error:  # a thread's exception would otherwise only be a warning
            failures.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for store in stores:
        store.close()
    assert failures == []
    return results


def test_processes_setting_one_new_key_at_once_all_succeed(backend: Backend) -> None:
    at_once(backend, lambda store: set_setting(store, "topics_digest", "abc"))
    store = backend.open()
    try:
        assert get_setting(store, "topics_digest") == "abc"
    finally:
        store.close()


def test_of_processes_claiming_a_new_value_at_once_exactly_one_wins(backend: Backend) -> None:
    claims = at_once(backend, lambda store: claim_setting(store, "stories_version", "v2"))
    store = backend.open()
    try:
        again = claim_setting(store, "stories_version", "v2")
        newer = claim_setting(store, "stories_version", "v3")
    finally:
        store.close()
    assert sorted(claims) == [False, False, False, True]  # type: ignore[type-var]
    assert (again, newer) == (False, True)
