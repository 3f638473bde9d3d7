"""HTTP for python-telegram-bot over aiohttp: a `BaseRequest` with less work per request than httpx.

A morning push sends thousands of messages; with httpx a request costs about
1 ms of CPU in the client alone (its pool checks every connection per request),
with aiohttp's C parser about half. Timeouts and errors map onto
python-telegram-bot's own (`TimedOut`, `NetworkError`), so nothing above notices.
"""

from __future__ import annotations

import asyncio
import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_JSON = "application/json"


class AiohttpRequest(BaseRequest):
    """python-telegram-bot's requests through one aiohttp session and a bounded connection pool."""

    __slots__ = ("_connections", "_media_timeout", "_session", "_timeout")

    def __init__(
        self,
        connection_pool_size: int = 8,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_timeout: float = 30.0,
    ) -> None:
        self._connections = connection_pool_size
        self._timeout = aiohttp.ClientTimeout(total=None, connect=pool_timeout, sock_connect=connect_timeout, sock_read=read_timeout)
        self._media_timeout = media_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default time to wait for Telegram's answer (long polling adds its own timeout to it)."""
        return self._timeout.sock_read

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        """One HTTP request; (status, body) or python-telegram-bot's TimedOut / NetworkError."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            total=self._media_timeout if request_data is not None and request_data.contains_files else None,
            connect=self._timeout.connect if pool_timeout is BaseRequest.DEFAULT_NONE else pool_timeout,
            sock_connect=self._timeout.sock_connect if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout,
            sock_read=self._timeout.sock_read if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout,
        )
        headers = {"User-Agent": self.USER_AGENT}
        body: bytes | aiohttp.FormData | None = None
        if request_data is not None and request_data.multipart_data:
            form = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, *kind) in request_data.multipart_data.items():
                # The file's media type as python-telegram-bot gave it (image/jpeg), not aiohttp's application/octet-stream.
                form.add_field(name, content, filename=filename, content_type=kind[0] if kind else None)
            body = form
        elif request_data is not None and request_data.parameters:
            # JSON, which the Bot API takes as well as forms, skips percent-encoding every character.
            body = request_data.json_payload
            headers["Content-Type"] = _JSON
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as error:
            if isinstance(error, aiohttp.ConnectionTimeoutError):
                raise TimedOut("Pool timeout: every connection is busy; the request was not sent") from error
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
