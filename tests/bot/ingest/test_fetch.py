"""Fetching over real loopback HTTP: the address guard, the deadline, errors, limits, charsets; canonical URLs."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from bot.ingest.fetch import FetchError, FetchLimits, fetch, make_client
from bot.ingest.urls import canonical_url
from tests.bot.helpers import LoopbackSite, TricklingServer, loopback_limits


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.COM:80/News/Story/?utm_source=tw&utm_medium=x&id=7&fbclid=abc#comments", "https://example.com/News/Story?id=7"),
        ("https://example.com/a?b=2&a=1&gclid=x", "https://example.com/a?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:8443//a//b/", "https://example.com:8443/a/b"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_a_page_is_fetched_with_its_headers(site: LoopbackSite) -> None:
    url = site.serve("/a", "<p>hello</p>", headers={"ETag": '"v1"', "Last-Modified": "Mon, 12 May 2025 10:00:00 GMT"})

    fetched = fetch(url, limits=site.limits)

    assert (fetched.status, fetched.content_type, fetched.charset, fetched.body) == (200, "text/html", "utf-8", b"<p>hello</p>")
    assert (fetched.etag, fetched.last_modified) == ('"v1"', "Mon, 12 May 2025 10:00:00 GMT")


@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")])
def test_http_errors_say_which(site: LoopbackSite, status: int, reason: str) -> None:
    url = site.serve("/e", "x", status=status)
    with pytest.raises(FetchError, match=reason):
        fetch(url, limits=site.limits)


def test_a_missing_page_is_404(site: LoopbackSite) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(site.url("/nothing-here"), limits=site.limits)


def test_a_slow_server_times_out(site: LoopbackSite) -> None:
    url = site.serve("/slow", "late", delay=1.5)
    with make_client(site.limits, timeout=0.3) as client, pytest.raises(FetchError, match="timed out"):
        fetch(url, client=client)


def test_a_redirect_loop_is_refused(site: LoopbackSite) -> None:
    site.redirect("/loop-a", "/loop-b")
    site.redirect("/loop-b", "/loop-a")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(site.url("/loop-a"), limits=site.limits)


def test_redirects_are_followed_to_the_final_url(site: LoopbackSite) -> None:
    site.serve("/final", "<p>here</p>")
    site.redirect("/old", "/final", status=301)
    assert fetch(site.url("/old"), limits=site.limits).url == site.url("/final")


def test_a_huge_body_is_refused_while_streaming(site: LoopbackSite) -> None:
    site.routes["/huge"] = __import__("tests.bot.helpers", fromlist=["Route"]).Route(stream_bytes=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than the 10 MB limit, refused"):
        fetch(site.url("/huge"), limits=site.limits)


def test_a_declared_length_over_the_cap_is_refused_before_reading(site: LoopbackSite) -> None:
    url = site.serve("/big", b"x" * 5000)
    with pytest.raises(FetchError, match="5000 bytes is larger than the 1000 bytes limit"):
        fetch(url, limits=site.limits, max_bytes=1000)


def test_text_is_decoded_with_or_without_a_declared_charset(site: LoopbackSite) -> None:
    text = "Ankara’s café reopened — “finally”"
    declared = site.serve("/cp1252", text.encode("cp1252"), content_type="text/html; charset=windows-1252")
    in_meta = site.serve("/meta", b'<meta charset="windows-1252">' + text.encode("cp1252"), content_type="text/html")
    undeclared = site.serve("/plain", text.encode("cp1252"), content_type="text/plain")
    wrong = site.serve("/wrong", text.encode("cp1252"), content_type="text/html; charset=utf-8")
    bogus = site.serve("/bogus", text.encode("utf-8"), content_type="text/html; charset=x-no-such-charset")

    assert fetch(declared, limits=site.limits).text() == text
    assert fetch(in_meta, limits=site.limits).text().endswith(text)
    assert fetch(undeclared, limits=site.limits).text() == text
    assert fetch(wrong, limits=site.limits).text() == text
    assert fetch(bogus, limits=site.limits).text() == text


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd")


# The address guard: loopback, private and other non-global addresses are refused unless allowed.


def test_a_loopback_address_is_refused_by_default(site: LoopbackSite) -> None:
    url = site.serve("/internal", "<p>internal</p>")

    with pytest.raises(FetchError) as refused:
        fetch(url, limits=FetchLimits())

    assert str(refused.value) == f"{url}: refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    assert site.requests == []


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("[::]", "unspecified"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("[fd00::1]", "private"),
        ("169.254.169.254", "link-local"),
        ("[fe80::1]", "link-local"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),
        ("2130706433", "loopback"),  # 127.0.0.1 as one number: judged by what it resolves to
    ],
)
def test_non_global_addresses_are_refused_before_connecting(host: str, kind: str) -> None:
    with pytest.raises(FetchError, match=rf"refused: .* an? {kind} address \(set FETCH_ALLOW_PRIVATE to allow it\)"):
        fetch(f"http://{host}:9/", limits=FetchLimits(deadline=5))


def test_a_redirect_to_a_loopback_address_is_refused_at_that_hop(site: LoopbackSite) -> None:
    with LoopbackSite("127.0.0.2") as internal:
        secret = internal.serve("/admin", "<p>internal admin page</p>")
        site.redirect("/story", secret)

        with pytest.raises(FetchError) as refused:
            fetch(site.url("/story"), limits=site.limits)

        assert internal.requests == []
    assert str(refused.value) == (
        f"{site.url('/story')}: redirected to 127.0.0.2, refused: 127.0.0.2 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    )


def test_allowed_networks_and_hosts_may_be_fetched(site: LoopbackSite) -> None:
    url = site.serve("/a", "<p>hello</p>")
    assert fetch(url, limits=loopback_limits("127.0.0.0/8")).body == b"<p>hello</p>"
    with make_client(allow="10.0.0.0/8,127.0.0.1") as client:
        assert fetch(url, client=client).body == b"<p>hello</p>"
    with pytest.raises(FetchError, match="refused: 127.0.0.1 is a loopback address"):
        fetch(url, limits=loopback_limits("10.0.0.0/8", "intranet.example"))


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(
    site: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the first answer (allowed) is checked; a second lookup would answer an internal
    address. Only one lookup is made, the connection goes to the checked address, and the Host
    header still names the host."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host == "news.rebind.test":
            lookups.append(host)
            host = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with LoopbackSite("127.0.0.2") as internal:
        internal.serve("/page", "<p>internal</p>")
        site.serve("/page", "<p>public</p>")

        fetched = fetch(f"http://news.rebind.test:{site.port}/page", limits=site.limits)

        assert internal.requests == []
    assert (fetched.body, lookups) == (b"<p>public</p>", ["news.rebind.test"])
    assert site.requests[-1][1]["Host"] == f"news.rebind.test:{site.port}"


def test_a_host_resolving_to_a_private_address_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *rest, **kw: real("10.0.0.5" if host == "intranet.example" else host, *rest, **kw)
    )
    with pytest.raises(FetchError, match=r"refused: intranet.example is 10.0.0.5, a private address \(set FETCH_ALLOW_PRIVATE"):
        fetch("http://intranet.example/wiki", limits=FetchLimits())


def test_fetch_refuses_a_client_without_the_guard() -> None:
    with httpx.Client() as plain, pytest.raises(TypeError, match="make_client"):
        fetch("https://example.com/", client=plain)  # type: ignore[arg-type]


# One deadline for the whole exchange.


def test_a_server_trickling_its_headers_is_given_up_at_the_deadline() -> None:
    """Each byte comes well within the read timeout, so only a deadline for the whole exchange ends it."""
    outcome: list[BaseException | None] = []

    with TricklingServer(interval=1.0) as trickling:

        def attempt() -> None:
            try:
                fetch(trickling.url("/feed.xml"), limits=loopback_limits("127.0.0.1", timeout=10, deadline=2))
                outcome.append(None)
            except BaseException as error:  # noqa: BLE001 - examined below
                outcome.append(error)

        worker = threading.Thread(target=attempt, daemon=True)
        worker.start()
        worker.join(timeout=30)  # a hang detector, not a timing: the deadline is 2 s

        assert not worker.is_alive(), "the fetch was still waiting for headers after 30 s"
    (error,) = outcome
    assert isinstance(error, FetchError)
    assert str(error) == f"{trickling.url('/feed.xml')}: no complete answer within 2 s, gave up"


def test_a_slow_body_is_given_up_at_the_deadline(site: LoopbackSite) -> None:
    site.serve("/late", "late", delay=3)
    with pytest.raises(FetchError, match="no complete answer within 1 s"):
        fetch(site.url("/late"), limits=loopback_limits("127.0.0.1", timeout=10, deadline=1))


def test_one_bad_byte_in_a_utf8_page_stays_one_replacement_character(site: LoopbackSite) -> None:
    # No ” here: its last byte is one cp1252 lacks, which hid the fault (the cp1252 fallback failed too).
    text = "Ankara’s café reopened on Monday — at last, the mayor said."
    damaged = text.encode("utf-8").replace(b"Monday", b"Mon\xe9day")
    declared = site.serve("/declared", damaged, content_type="text/html; charset=utf-8")
    undeclared = site.serve("/undeclared", damaged, content_type="text/html")

    expected = text.replace("Monday", "Mon\ufffdday")
    assert fetch(declared, limits=site.limits).text() == expected
    assert fetch(undeclared, limits=site.limits).text() == expected


def test_a_page_in_a_charset_nothing_names_is_detected(site: LoopbackSite) -> None:
    text = "Правительство объявило о новых мерах поддержки экономики в понедельник, сообщили в министерстве финансов."
    url = site.serve("/ru", text.encode("koi8-r"), content_type="text/html")

    assert fetch(url, limits=site.limits).text() == text


def test_the_response_headers_are_passed_on_as_they_came(site: LoopbackSite) -> None:
    url = site.serve("/feed.xml", b"<rss/>", content_type="application/rss+xml; charset=KOI8-R", headers={"Content-Location": "/elsewhere.xml"})

    fetched = fetch(url, limits=site.limits)

    assert (fetched.headers["content-type"], fetched.headers["content-location"]) == ("application/rss+xml; charset=KOI8-R", "/elsewhere.xml")
