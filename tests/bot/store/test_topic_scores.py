"""Topic scores rewritten by two processes at once (two bots starting after a topics change)."""

from __future__ import annotations

import threading

from bot.store import add_article, set_topic_scores, topic_counts
from tests.bot.helpers import body, new_article
from tests.conftest import Backend


def test_two_stores_rescoring_at_once_agree_and_neither_fails(backend: Backend) -> None:
    stores = [backend.open(), backend.open()]
    ids = [
        add_article(stores[0], new_article(f"Grain exports {n}", body(f"Grain exports rose {n}.", words=60))).article_id
        for n in range(30)
    ]
    scores = {article_id: {"economy": 0.5, "russia": 0.25} for article_id in ids}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def rescore(index: int) -> None:
        barrier.wait()
        try:
            set_topic_scores(stores[index % 2], scores)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=rescore, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = topic_counts(stores[0])
    for opened in stores:
        opened.close()
    assert errors == []
    assert (counts.get("economy"), counts.get("russia")) == (30, 30)
