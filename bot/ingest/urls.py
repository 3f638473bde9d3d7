"""Canonical URLs (the duplicate key) and site names: URL text alone, nothing fetched."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not which page it is.
_TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|ref_src|ref_url|cmpid|ncid|ocid|sr_share|spm|"
    r"share|shared|smid|s_cid|at_medium|at_campaign|at_custom\d*|guccounter|guce_referrer\w*)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """The URL as a duplicate key: https, lower-case host without www. and default port,
    no fragment, no tracking parameters, the remaining parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(key))
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def site_name(url: str) -> str:
    """A source name from a URL when the page names none: its host without www."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# Longest image URL kept: longer ones are tracking noise, not a picture's address.
IMAGE_URL_CHARS = 2048


def image_url(value: object, base: str | None = None) -> str | None:
    """A lead image's URL as kept at ingest: http(s) only, made absolute against `base`, None for anything else (never fetched here)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > IMAGE_URL_CHARS or any(character.isspace() or ord(character) < 32 for character in text):
        return None
    try:
        if base and not re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
            text = urljoin(base, text)
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError for a port that is no number or out of range
    except ValueError:  # "http://[::1", "http://a.example:99999/": no address at all
        return None
    return text
