"""Builders and loopback web servers for the store and ingestion tests.

The fetcher refuses loopback addresses unless told otherwise, so a test that
fetches from a LoopbackSite passes `site.limits` (FETCH_ALLOW_PRIVATE for its
address) or a client made from them.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.ingest.addresses import AllowedAddresses
from bot.ingest.fetch import FetchLimits
from bot.ingest.prepare import prepare
from bot.ingest.read import IncomingArticle
from bot.store import DeliveryDue, NewArticle
from bot.topics import Topics, load_topics

NOW = datetime(2025, 5, 12, 12, 0, tzinfo=UTC)
_TOPICS: Topics | None = None

FILLER = (
    "The committee met again on Thursday to review the figures, and members said they expected "
    "a final decision before the end of the month after hearing from residents and experts."
)


DAY = NOW.date()


def due(chat_id: int, topic: str = "*", local_date: date = DAY) -> DeliveryDue:
    """A delivery due five minutes before NOW."""
    return DeliveryDue(chat_id=chat_id, local_date=local_date, due_at=NOW - timedelta(minutes=5), topic=topic)


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def body(*sentences: str, words: int = 0) -> str:
    """An article body: the sentences as paragraphs, padded to `words` words with filler built from them
    (so two bodies with different sentences never look like one story)."""
    paragraphs = list(sentences)
    index = 0
    while len(" ".join(paragraphs).split()) < words:
        lead = sentences[index % len(sentences)].rstrip(".")
        paragraphs.append(f"{lead} (update {index + 1}).")
        index += 1
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class QuoteStub:
    """A quote with the attributes summaries.quotes.Quote has (the store reads them with getattr)."""

    text: str
    speaker: str
    speaker_full: str = ""
    speaker_name: str = ""
    role: str = ""
    cue: str = "said"
    start: int = 0
    end: int = 0
    kind: str = "full"
    score: float = 0.5
    key: bool = False


# A Syria story of 150 words, the articles of the ingest and upkeep tests.
TRUCE = body(
    "Turkish-backed fighters and Kurdish-led forces agreed on Sunday to a three-day truce around the Syrian town of Manbij.",
    "The truce was brokered by tribal elders who met both sides separately in the town of Jarablus.",
    words=150,
)


# Fictional events: two reports of one earthquake worded by two outlets, and another earthquake elsewhere.
QUAKE_A = body(
    "A magnitude 6.1 earthquake struck the mountain town of Velmora on Tuesday, toppling the old clock tower of Saint Brenna.",
    "Mayor Odile Ferrant said rescue teams from Arlen were searching the rubble near the Velmora market.",
    words=120,
)
QUAKE_B = body(
    "Rescuers in Velmora dug through collapsed houses after Tuesday's 6.1 quake brought down the Saint Brenna clock tower.",
    "Odile Ferrant, the town's mayor, said teams sent from Arlen had reached the market square by nightfall.",
    words=120,
)
OTHER_QUAKE = body(
    "A magnitude 5.4 earthquake shook the port of Tarsk early on Friday, cracking the harbour wall along the Dunmore quay.",
    "Harbourmaster Ilse Quaren said ferries to Kessa island were suspended while engineers checked the piers.",
    words=120,
)


def new_article(
    title: str,
    text: str,
    *,
    url: str | None = None,
    published: datetime | None = NOW,
    source: str = "Test Gazette",
    quotes: tuple[Any, ...] = (),
    topics: Topics | None = None,
) -> NewArticle:
    """An analysed article ready for add_article."""
    global _TOPICS
    if topics is None:
        _TOPICS = _TOPICS or load_topics()
        topics = _TOPICS
    incoming = IncomingArticle(title=title, text=text, origin=title, url=url, source=source, published_at=published)
    article = prepare(incoming, topics, now=NOW)
    if quotes:
        article = replace(article, analysis=replace(article.analysis, quotes=quotes))
    return article


@dataclass
class Route:
    """What the loopback server answers on one path."""

    body: bytes | None = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Stream this many bytes of filler instead of `body` (never held in memory).
    stream_bytes: int = 0
    # Answer 304 when the request's If-None-Match equals this.
    etag: str | None = None


def loopback_limits(*allowed: str, **limits: Any) -> FetchLimits:
    """The fetch limits (strict defaults unless given) with these hosts or networks allowed."""
    return FetchLimits(allowed=AllowedAddresses.parse(allowed), **limits)


class LoopbackSite:
    """A threaded HTTP server on 127.0.0.1 (or another loopback address) whose answers a test sets per path;
    it records requests. `limits` are fetch limits that allow its address and nothing else."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag is not None:
                    self.send_header("ETag", route.etag)
                if route.stream_bytes:
                    if "Content-Type" not in route.headers:
                        self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65530 + b"</p>"
                    sent = 0
                    try:
                        while sent < route.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                data = route.body or b""
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackSite:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def limits(self) -> FetchLimits:
        return loopback_limits(self.host)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def serve(self, path: str, body: str | bytes = b"", *, content_type: str = "text/html; charset=utf-8", **options: Any) -> str:
        """Put a page at `path`; returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, **options.pop("headers", {})}
        self.routes[path] = Route(body=data, headers=headers, **options)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(body=b"", status=status, headers={"Location": to})
        return self.url(path)


class TricklingServer:
    """A raw socket server on 127.0.0.1 that answers every connection with a status line and headers
    sent one byte every `interval` seconds, never ending them: the client must give up by itself."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                connection.recv(65536)  # the request
                head = b"HTTP/1.1 200 OK\r\nX-Trickle: "
                sent = 0
                while not self.stopped.is_set():
                    connection.sendall(head[sent : sent + 1] if sent < len(head) else b"a")
                    sent += 1
                    self.stopped.wait(self.interval)
            except OSError:
                pass  # the client gave up and closed the connection

    def __enter__(self) -> TricklingServer:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def html_page(title: str, text: str, *, published: str = "2025-05-12T08:00:00+00:00", site: str = "Loopback News") -> str:
    """A news page with navigation chrome around an <article>."""
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
    return (
        f"<html><head><title>{title} | {site}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{published}">'
        '<meta name="author" content="Rosa Vidal"></head>'
        "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright Loopback News. All rights reserved.</footer></body></html>"
    )


def rss(items: list[dict[str, str]], title: str = "Loopback Feed") -> str:
    """An RSS 2.0 document with the given items (title, link, description, pubDate)."""
    entries = "".join(
        "<item>"
        + "".join(f"<{key}>{value}</{key}>" for key, value in item.items())
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://loopback.example/</link><description>d</description>"
        f"{entries}</channel></rss>"
    )
