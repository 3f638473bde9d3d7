"""A story's lead image, fetched when the story view shows it (never at ingest), through the guarded fetch.

The bot fetches the picture itself and uploads the bytes: Telegram is never
handed a URL to fetch, so no address the guard refuses (loopback, private,
link-local ...) is reached by anyone on the bot's behalf, redirects included.
A picture must be small (IMAGE_MAX_BYTES), come within IMAGE_DEADLINE seconds,
be declared JPEG, PNG, WebP or GIF and start as that format does; SVG (a
document that can carry scripts, and which Telegram does not show as a photo)
is refused, as is anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.ingest.fetch import FetchError, FetchLimits, fetch

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_DEADLINE = 10.0
# The declared types taken, and the bytes each format starts with.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


@dataclass(frozen=True)
class Picture:
    """A fetched lead image: where it came from, its type and its bytes."""

    url: str
    content_type: str
    data: bytes

    @property
    def filename(self) -> str:
        """A file name for the upload, by type (`story.jpg`)."""
        return "story." + {"image/jpeg": "jpg"}.get(self.content_type, self.content_type.removeprefix("image/"))


def fetch_picture(url: str, limits: FetchLimits) -> Picture:
    """GET a lead image under the fetch limits, at most IMAGE_MAX_BYTES and IMAGE_DEADLINE; FetchError says why it was refused."""
    limits = replace(limits, max_bytes=min(limits.max_bytes, IMAGE_MAX_BYTES), deadline=min(limits.deadline, IMAGE_DEADLINE))
    fetched = fetch(url, limits=limits)
    kind = fetched.content_type
    if kind == "image/svg+xml" or fetched.body.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>"):
        raise FetchError(f"{url}: an SVG image, refused (only JPEG, PNG, WebP and GIF are shown)")
    if kind not in _SIGNATURES:
        raise FetchError(f"{url}: {kind or 'no content type'}, not a JPEG, PNG, WebP or GIF image, refused")
    data = fetched.body
    if not data.startswith(_SIGNATURES[kind]) or (kind == "image/webp" and data[8:12] != b"WEBP"):
        raise FetchError(f"{url}: declared {kind} but the bytes are not one, refused")
    return Picture(fetched.url, kind, data)
