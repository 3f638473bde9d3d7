"""Decoding a Bot API request: query string, urlencoded, multipart and JSON bodies into one mapping."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Union
from urllib.parse import parse_qsl

from telegram_loopback.errors import ApiError, bad_request


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart/form-data request."""

    field: str
    filename: str
    content_type: str
    data: bytes


RawValue = Union[str, UploadedFile]


def decode_params(query: str, content_type: str, body: bytes) -> dict[str, RawValue]:
    """Every parameter as Telegram's server sees it: a string (or an uploaded file) per name.

    python-telegram-bot sends urlencoded forms (multipart when a file is attached) in which every
    non-string value, nested objects included, is already JSON-encoded; a JSON body is flattened the
    same way, as the real Bot API server does.
    """
    params: dict[str, RawValue] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params
    if media_type == "application/json":
        params.update(_json_params(body))
    elif media_type == "multipart/form-data":
        params.update(_multipart_params(content_type, body))
    else:
        # Telegram treats a body without a known type as a urlencoded form.
        params.update(parse_qsl(_utf8(body), keep_blank_values=True))
    return params


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request("strings must be encoded in UTF-8") from exc


def _json_params(body: bytes) -> dict[str, RawValue]:
    try:
        decoded = json.loads(_utf8(body))
    except json.JSONDecodeError as exc:
        raise bad_request("can't parse JSON object") from exc
    if not isinstance(decoded, dict):
        raise bad_request("JSON object expected")
    params: dict[str, RawValue] = {}
    for name, value in decoded.items():
        if value is None:
            continue
        params[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return params


def _multipart_params(content_type: str, body: bytes) -> dict[str, RawValue]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ApiError(400, "Bad Request: can't parse multipart/form-data body")
    params: dict[str, RawValue] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[name] = UploadedFile(name, filename, part.get_content_type(), data)
        else:
            charset = part.get_content_charset() or "utf-8"
            params[name] = data.decode(charset, errors="replace")
    return params
