"""The Bot API specification (methods, fields, types) and the checks Telegram makes on each call."""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram_loopback.errors import ApiError, bad_request
from telegram_loopback.wire import RawValue, UploadedFile

SPEC_ENV = "NEWSBRIEF_BOT_API_SPEC"
_SCALARS = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})
_DISCRIMINATOR = re.compile(r'(?:must be|always) "?([A-Za-z0-9_]+)"?')
_INTEGER = re.compile(r"[+-]?\d+")
_TAG_FIELDS = ("type", "source", "status")
# Nested objects whose errors Telegram prefixes with what it was parsing (capitalised detail after it).
_PARSE_CONTEXT = {
    "MessageEntity": "can't parse MessageEntity: ",
    "InlineKeyboardButton": "can't parse inline keyboard button: ",
    "KeyboardButton": "can't parse keyboard button: ",
}
# Telegram's own wording for a few missing parameters; the rest get the generic one.
_MISSING = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
}
_JSON_NAMES = {
    "reply_markup": "reply keyboard markup",
    "link_preview_options": "link preview options",
    "reply_parameters": "reply parameters",
}
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def default_spec_path() -> Path:
    """``$NEWSBRIEF_BOT_API_SPEC``, else ``../shared/telegram/bot-api-spec.min.json`` beside the repo root."""
    configured = os.environ.get(SPEC_ENV)
    if configured:
        return Path(configured)
    repo_root = Path(__file__).resolve().parents[1]
    return repo_root.parent / "shared" / "telegram" / "bot-api-spec.min.json"


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: dict[str, Field]
    returns: tuple[str, ...]

    def required(self) -> list[str]:
        """Required parameters in the order Telegram complains about them (the text before the chat)."""
        names = [field.name for field in self.fields.values() if field.required]
        return sorted(names, key=lambda name: 0 if name == "text" else 1)


class BotApiSpec:
    """Bot API methods and types as scraped from the official documentation."""

    def __init__(self, document: dict[str, Any], source: Path | None = None) -> None:
        self.source = source
        self.version: str = document.get("version", "unknown")
        self.methods: dict[str, MethodSpec] = {}
        for name, method in document["methods"].items():
            fields = {f["name"]: _field(f) for f in method.get("fields", [])}
            self.methods[name.lower()] = MethodSpec(name, fields, tuple(method.get("returns", [])))
        self.types: dict[str, dict[str, Field]] = {}
        self.subtypes: dict[str, tuple[str, ...]] = {}
        self._tags: dict[tuple[str, str], str] = {}
        for name, type_ in document["types"].items():
            for f in type_.get("fields", []):
                found = _DISCRIMINATOR.search(f.get("description", "")) if f["name"] in _TAG_FIELDS else None
                if found:
                    self._tags[(name, f["name"])] = found.group(1)
            self.types[name] = {f["name"]: _field(f) for f in type_.get("fields", [])}
            if type_.get("subtypes"):
                self.subtypes[name] = tuple(s for s in type_["subtypes"] if s in document["types"])
        self._discriminators = {name: self._discriminator(subs) for name, subs in self.subtypes.items()}

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> BotApiSpec:
        """Read the spec from ``path`` (default: :func:`default_spec_path`)."""
        source = Path(path) if path is not None else default_spec_path()
        with source.open(encoding="utf-8") as handle:
            return cls(json.load(handle), source)

    @classmethod
    def find(cls, path: str | os.PathLike[str] | None = None) -> BotApiSpec | None:
        """The spec if its file exists, else ``None`` (spec checks off)."""
        source = Path(path) if path is not None else default_spec_path()
        return cls.load(source) if source.is_file() else None

    def method(self, name: str) -> MethodSpec | None:
        """Method names are case-insensitive, as in Telegram."""
        return self.methods.get(name.lower())

    def _discriminator(self, subtypes: tuple[str, ...]) -> tuple[str, dict[str, str]] | None:
        """The field (``type``, ``source`` or ``status``) and its value naming each subtype."""
        key_field = None
        mapping: dict[str, str] = {}
        for sub in subtypes:
            for field_name in _TAG_FIELDS:
                tag = self._tags.get((sub, field_name))
                if tag is not None:
                    key_field = field_name
                    mapping[tag] = sub
                    break
        return (key_field, mapping) if key_field and mapping else None

    def parse_params(self, method: MethodSpec, raw: dict[str, RawValue]) -> dict[str, Any]:
        """Check and convert raw request parameters; raise :class:`ApiError` 400 as Telegram would."""
        present = {name: value for name, value in raw.items() if not _is_blank(name, value, method)}
        for name in method.required():
            if name not in present or (isinstance(present[name], str) and present[name] == ""):
                raise bad_request(_MISSING.get(name, f'parameter "{name}" is required'))
        params: dict[str, Any] = {}
        for name, value in present.items():
            field = method.fields.get(name)
            params[name] = value if field is None else self._parse_top(field, value)
        return params

    def _parse_top(self, field: Field, value: RawValue) -> Any:
        if isinstance(value, UploadedFile):
            if "InputFile" in field.types:
                return value
            raise bad_request(f'field "{field.name}" must be of type {field.types[0]}')
        errors: list[ApiError] = []
        candidates = _by_specificity(field.types)
        if len(candidates) > 1 and value.lstrip().startswith("{"):
            try:
                candidates = self._candidates(field.types, json.loads(value))
            except json.JSONDecodeError:
                pass
        for type_expr in candidates:
            try:
                return self._from_string(type_expr, field.name, value)
            except ApiError as exc:
                errors.append(exc)
        raise errors[0]

    def _from_string(self, type_expr: str, name: str, text: str) -> Any:
        if type_expr == "Integer":
            if _INTEGER.fullmatch(text.strip()):
                return int(text)
            raise bad_request(f'field "{name}" must be of type Integer')
        if type_expr == "Float":
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                return number
            raise bad_request(f'field "{name}" must be of type Float')
        if type_expr == "Boolean":
            lowered = text.strip().lower()
            if lowered in _TRUE or lowered in _FALSE:
                return lowered in _TRUE
            raise bad_request(f'field "{name}" must be of type Boolean')
        if type_expr in ("String", "InputFile"):
            return text
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise bad_request(f"can't parse {_JSON_NAMES.get(name, name)} JSON object") from exc
        return self.check(type_expr, decoded, name)

    def check(self, type_expr: str, value: Any, name: str = "value", context: str = "") -> Any:
        """Check a decoded JSON value against a spec type such as ``Array of BotCommand``."""
        if type_expr.startswith("Array of "):
            if not isinstance(value, list):
                raise _field_error(context, f'field "{name}" must be of type Array')
            inner = type_expr[len("Array of ") :]
            return [self.check(inner, item, name, context) for item in value]
        if type_expr == "Integer":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                return int(value)
            raise _field_error(context, f'field "{name}" must be of type Integer')
        if type_expr == "Float":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            raise _field_error(context, f'field "{name}" must be of type Float')
        if type_expr == "Boolean":
            if isinstance(value, bool):
                return value
            raise _field_error(context, f'field "{name}" must be of type Boolean')
        if type_expr in ("String", "InputFile"):
            if isinstance(value, str):
                return value
            raise _field_error(context, f'field "{name}" must be of type String')
        if type_expr not in self.types:
            return value  # a type the spec names without describing (e.g. CallbackGame)
        if not isinstance(value, dict):
            raise _field_error(context, f'field "{name}" must be of type Object')
        concrete = self._concrete(type_expr, value, name, context)
        inner_context = _PARSE_CONTEXT.get(concrete, context)
        checked = dict(value)
        for field in self.types[concrete].values():
            if field.name not in value:
                if field.required:
                    raise _field_error(inner_context, f'can\'t find field "{field.name}"')
                continue
            checked[field.name] = self._check_union(field, value[field.name], inner_context)
        return checked

    def _check_union(self, field: Field, value: Any, context: str) -> Any:
        errors: list[ApiError] = []
        for type_expr in self._candidates(field.types, value):
            try:
                return self.check(type_expr, value, field.name, context)
            except ApiError as exc:
                errors.append(exc)
        raise errors[0]

    def _candidates(self, types: tuple[str, ...], value: Any) -> list[str]:
        """Union members to try, the object type whose required fields the value has first."""
        ordered = _by_specificity(types)
        if not isinstance(value, dict):
            return ordered

        def missing(type_expr: str) -> int:
            fields = self.types.get(type_expr)
            if fields is None:
                return 1_000
            return sum(1 for f in fields.values() if f.required and f.name not in value)

        return sorted(ordered, key=missing)

    def _concrete(self, type_name: str, value: dict[str, Any], name: str, context: str) -> str:
        if type_name not in self.subtypes:
            return type_name
        found = self._discriminators.get(type_name)
        if found is None:
            return type_name
        key, mapping = found
        if key not in value:
            raise _field_error(context, f'can\'t find field "{key}"')
        tag = value[key]
        if tag not in mapping:
            raise _field_error(context, f'unsupported {name} {key} "{tag}"')
        return mapping[tag]


def _field(document: dict[str, Any]) -> Field:
    return Field(document["name"], tuple(document["types"]), bool(document["required"]))


def _field_error(context: str, detail: str) -> ApiError:
    if context:
        return bad_request(context + detail[0].upper() + detail[1:])
    return bad_request(detail)


def _is_blank(name: str, value: RawValue, method: MethodSpec) -> bool:
    # Telegram reads an empty argument as an absent one, except where an empty string means something.
    if not isinstance(value, str) or value != "":
        return False
    field = method.fields.get(name)
    return field is None or "String" not in field.types


def _by_specificity(types: tuple[str, ...]) -> list[str]:
    # "Integer or String" must try Integer first, or every chat id would come out a string.
    order = {"Integer": 0, "Float": 1, "Boolean": 2}
    return sorted(types, key=lambda type_expr: order.get(type_expr, 3 if type_expr not in _SCALARS else 4))

