"""The terminal the CLI writes to, and Telegram HTML shown there: the CLI prints exactly what a chat would receive."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from rich.console import Console
from rich.text import Text

console = Console()
# Soft wrap: a long path or reason stays on one line, whole, for a person to copy.
errors = Console(stderr=True, soft_wrap=True)

_STYLES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strike", "strike": "strike", "del": "strike", "code": "cyan", "pre": "cyan",
    "tg-spoiler": "reverse", "span": "reverse", "a": "underline blue",
}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = Text()
        self.styles: list[str] = []
        self.links: list[str | None] = []
        self.in_quote = 0
        self.at_line_start = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self.in_quote += 1
            if not self.at_line_start:
                self._append("\n")
            return
        self.styles.append(_STYLES.get(tag, ""))
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self.in_quote = max(0, self.in_quote - 1)
            return
        if self.styles:
            self.styles.pop()
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.text.append(f" <{href}>", style="dim")

    def handle_data(self, data: str) -> None:
        for index, line in enumerate(data.split("\n")):
            if index:
                self._append("\n")
            if line:
                self._append(line, " ".join(style for style in self.styles if style))

    def _append(self, piece: str, style: str = "") -> None:
        if self.in_quote and self.at_line_start and piece != "\n":
            self.text.append("│ ", style="green")
        self.text.append(piece, style=("italic " + style).strip() if self.in_quote else style)
        self.at_line_start = piece.endswith("\n")


def html_to_text(message: str) -> Text:
    """Rich text for one Telegram HTML message."""
    converter = _Converter()
    converter.feed(message)
    converter.close()
    return converter.text


def keyboard_text(markup: Any) -> Text:
    """An inline keyboard as numbered buttons: [1 Syria] [2 Turkey] ..."""
    rows = getattr(markup, "inline_keyboard", None)
    if rows is None and isinstance(markup, dict):
        rows = markup.get("inline_keyboard", [])
    text = Text()
    number = 0
    for row in rows or []:
        for button in row:
            number += 1
            label = button.text if hasattr(button, "text") else button.get("text", "")
            text.append(f"[{number}] ", style="bold magenta")
            text.append(f"{label}  ")
        text.append("\n")
    return text
