"""A hang detector: every text function on inputs built to make regular expressions backtrack (issue 12).

Each call runs in a worker process and must answer within DEADLINE seconds, for inputs a linear
pattern handles in milliseconds: no timing is asserted beyond "it did not hang". A regular
expression running in C holds the interpreter, so a thread could not be stopped; a process can.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 10.0

# The worker reads [function, text] lines and answers each with a line: "ok" or the error.
WORKER = r"""
import json, re, sys
from datetime import datetime, timezone

from summaries.analysis import analyze
from summaries.article import Article
from summaries.cleaning import clean, is_chrome_sentence, split_title
from summaries.quotes import extract_quotes
from summaries.sentences import split_sentences
from summaries.stories import article_terms
from summaries.story_summary import StoryArticle, summarize_story
from summaries.text import normalize

WHEN = datetime(2031, 5, 4, 9, 0, tzinfo=timezone.utc)
CALLS = {
    "normalize": normalize,
    "clean": clean,
    "is_chrome_sentence": is_chrome_sentence,
    "split_title": split_title,
    "split_sentences": split_sentences,
    "extract_quotes": extract_quotes,
    "analyze": lambda text: analyze(Article(text=text, title=text[:200])),
    "article_terms": lambda text: article_terms(text[:200], text),
    "summarize_story": lambda text: summarize_story(
        [StoryArticle(id=1, title=text[:200], text=text, outlet="Courier", published_at=WHEN),
         StoryArticle(id=2, title="Ferry capsizes", text=text[::-1], outlet="Herald", published_at=WHEN)]
    ),
    # for the detector's own test: exponential backtracking on ("a" * 40 + "!")
    "catastrophic": lambda text: re.match(r"(?:a+)+$", text),
}
print("ready", flush=True)
for line in sys.stdin:
    name, text = json.loads(line)
    try:
        CALLS[name](text)
        answer = "ok"
    except Exception as error:
        answer = f"{type(error).__name__}: {error}"
    print(json.dumps(answer), flush=True)
"""

FUNCTIONS = (
    "normalize",
    "clean",
    "is_chrome_sentence",
    "split_title",
    "split_sentences",
    "extract_quotes",
    "analyze",
    "article_terms",
    "summarize_story",
)

# Each pattern's trigger words, and what follows them.
TRIGGERS = (
    "Pictured: ", "Image: ", "Photo: ", "Video: ", "Read more", "Read more: ", "Click here ", "Follow us on ",
    "said ", "he said, “", "“", '"', "‘", "Published ", "Updated: ", "Published on ", "By . ", "By ", "Support ",
    "Donate ", "Copyright ", "(Reporting by ", "[", "Editor's note: ", "Related ", "Share this ", "cookies ",
    "banned in Russia ", "is designated as ", "(banned ", "AP Photo ", "Getty Images ", "Mr. ", "U.S. ",
)
RUNS = (
    " ".join(["abcdefghij"] * 14),  # the ReDoS of issue 12: more words than a caption may have
    " ".join(["abcdefghij"] * 300),
    "a" * 3000,
    " " * 2000 + "x",
    " \t\n" * 700 + "x",
    ". " * 1000,
    "“" * 1000,
    '"a" ' * 500,
    ", said " * 300,
    "1" * 2000,
    "A. " * 700,
    "(" * 1000,
)
ALONE = (
    "word " * 3000,
    "a" * 20000,
    "." * 5000,
    "!?" * 2000,
    "-" * 5000,
    "…" * 2000,
    '"' * 3000,
    "“" * 3000,
    "”" * 3000,
    "'" * 3000,
    "’" * 3000,
    "“" + "a " * 3000,
    "“a,” he said. " * 400,
    "said " * 2000,
    "\n" * 3000 + "x",
    "<a " * 1000,
    "&amp" * 1000,
)
INPUTS = (
    ALONE
    + tuple(trigger + run for trigger in TRIGGERS for run in RUNS)
    # inline chrome is looked for only in a paragraph of several sentences
    + tuple("The mayor spoke on Monday. " + trigger + run for trigger in TRIGGERS for run in RUNS)
)


class Worker:
    """A process running the text functions, stopped and replaced when a call outlives the deadline."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.answers: queue.Queue[str] = queue.Queue()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.answers), daemon=True).start()
        assert self.answers.get(timeout=120) == "ready"

    @staticmethod
    def _read(process: subprocess.Popen[str], answers: queue.Queue[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            answers.put(line.strip())

    def call(self, name: str, text: str, deadline: float = DEADLINE) -> str | None:
        """The worker's answer, or None when it did not come within the deadline."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps([name, text]) + "\n")
        self.process.stdin.flush()
        try:
            return json.loads(self.answers.get(timeout=deadline))
        except queue.Empty:
            self.stop()
            return None

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    running = Worker()
    yield running
    running.stop()


def shown(text: str) -> str:
    return repr(text if len(text) <= 80 else f"{text[:60]}…({len(text)} chars)")


@pytest.mark.slow
@pytest.mark.parametrize("name", FUNCTIONS)
def test_no_text_function_hangs_on_adversarial_input(worker, name):
    for text in INPUTS:
        answer = worker.call(name, text)
        assert answer is not None, f"{name} did not finish within {DEADLINE:.0f} s on {shown(text)}"
        assert answer == "ok", f"{name} failed on {shown(text)}: {answer}"


def test_the_hang_detector_reports_a_hang_and_goes_on(worker):
    assert worker.call("catastrophic", "a" * 40 + "!", deadline=1) is None
    assert worker.call("catastrophic", "a" * 10 + "!") == "ok"


def test_a_pictured_sentence_of_fourteen_long_words_is_answered_at_once(worker):
    # Issue 12: ~31 s before the caption pattern was made linear (each extra word doubled it).
    sentence = "Pictured: " + " ".join(["abcdefghij"] * 14)
    assert worker.call("is_chrome_sentence", sentence) == "ok"
    assert worker.call("clean", f"The mayor spoke on Monday. {sentence}.") == "ok"
