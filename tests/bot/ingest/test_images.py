"""Lead images fetched for the story view over real loopback HTTP: the types taken, the size cap, the address guard."""

from __future__ import annotations

import pytest

from bot.ingest.fetch import FetchError
from bot.ingest.images import IMAGE_MAX_BYTES, fetch_picture
from tests.bot.helpers import LoopbackSite

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("kind", "data", "filename"),
    [("image/png", PNG, "story.png"), ("image/jpeg", JPEG, "story.jpg"), ("image/webp", WEBP, "story.webp"), ("image/gif", GIF, "story.gif")],
)
def test_jpeg_png_webp_and_gif_are_fetched(site: LoopbackSite, kind: str, data: bytes, filename: str) -> None:
    url = site.serve("/lead", data, content_type=kind)

    picture = fetch_picture(url, site.limits)

    assert (picture.url, picture.content_type, picture.data, picture.filename) == (url, kind, data, filename)


def test_an_svg_is_refused_however_it_is_declared(site: LoopbackSite) -> None:
    declared = site.serve("/a.svg", SVG, content_type="image/svg+xml")
    disguised = site.serve("/b.png", SVG, content_type="image/png")

    with pytest.raises(FetchError) as first:
        fetch_picture(declared, site.limits)
    with pytest.raises(FetchError) as second:
        fetch_picture(disguised, site.limits)

    assert str(first.value) == f"{declared}: an SVG image, refused (only JPEG, PNG, WebP and GIF are shown)"
    assert str(second.value) == f"{disguised}: an SVG image, refused (only JPEG, PNG, WebP and GIF are shown)"


def test_a_page_or_bytes_that_are_not_the_declared_type_are_refused(site: LoopbackSite) -> None:
    page = site.serve("/page", "<p>not a picture</p>")
    lying = site.serve("/fake.jpg", PNG, content_type="image/jpeg")

    with pytest.raises(FetchError) as as_page:
        fetch_picture(page, site.limits)
    with pytest.raises(FetchError) as as_lie:
        fetch_picture(lying, site.limits)

    assert str(as_page.value) == f"{page}: text/html, not a JPEG, PNG, WebP or GIF image, refused"
    assert str(as_lie.value) == f"{lying}: declared image/jpeg but the bytes are not one, refused"


def test_a_50_mb_image_is_given_up_at_the_5_mb_cap(site: LoopbackSite) -> None:
    site.serve("/huge.jpg", content_type="image/jpeg", stream_bytes=50 * 1024 * 1024)

    with pytest.raises(FetchError) as refused:
        fetch_picture(site.url("/huge.jpg"), site.limits)

    assert IMAGE_MAX_BYTES == 5 * 1024 * 1024
    assert str(refused.value) == f"{site.url('/huge.jpg')}: larger than the 5 MB limit, refused"


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(site: LoopbackSite) -> None:
    with LoopbackSite("127.0.0.2") as internal:
        secret = internal.serve("/camera.jpg", JPEG, content_type="image/jpeg")
        site.redirect("/lead.jpg", secret)

        with pytest.raises(FetchError) as refused:
            fetch_picture(site.url("/lead.jpg"), site.limits)

        assert internal.requests == []
    assert str(refused.value) == (
        f"{site.url('/lead.jpg')}: redirected to 127.0.0.2, refused: 127.0.0.2 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    )


def test_an_image_that_is_gone_says_so(site: LoopbackSite) -> None:
    with pytest.raises(FetchError) as missing:
        fetch_picture(site.url("/gone.jpg"), site.limits)

    assert str(missing.value) == f"{site.url('/gone.jpg')}: HTTP 404 Not Found"
