"""Telegram HTML for briefings, stories and quotes, cut into messages Telegram accepts.

Every piece of article text is escaped; only tags Telegram knows are written;
a message is at most 4,096 characters after entity parsing (counted, as
Telegram does, in UTF-16 code units) and is cut between stories, never inside
a tag or a quotation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from summaries.briefing import Briefing, BriefingQuote, Story
from summaries.speakers import Speaker, group_by_speaker

MESSAGE_LIMIT = 4096
STORIES_PER_PAGE = 5
_HEADLINE_CHARS = 300
_SENTENCE_CHARS = 600
_QUOTE_CHARS = 500
_NAME_CHARS = 80
_TAG = re.compile(r"<[^>]+>")
_SAFE_URL = re.compile(r"^(?:https?|tg)://[^\s<>\"']+$", re.I)


def escape(text: str) -> str:
    """Text safe inside Telegram HTML (only &, < and > need it outside attributes)."""
    return html.escape(text, quote=False)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(",;:-– ") + "…"


def link(url: str | None, label: str) -> str:
    """A link when the URL is one Telegram opens safely, else the label alone."""
    label = escape(clip(label, _NAME_CHARS))
    if url and _SAFE_URL.match(url):
        return f'<a href="{html.escape(url, quote=True)}">{label}</a>'
    return label


def visible_length(message: str) -> int:
    """Length after entity parsing, in UTF-16 code units as Telegram counts."""
    text = html.unescape(_TAG.sub("", message))
    return len(text.encode("utf-16-le")) // 2


def pack(blocks: Iterable[str], limit: int = MESSAGE_LIMIT, separator: str = "\n\n") -> list[str]:
    """Whole blocks into as few messages as fit, never splitting a block.

    A block that alone exceeds the limit (it cannot come from the renderers
    below, whose fields are clipped) is reduced to its escaped plain text and cut.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        if not block:
            continue
        if visible_length(block) > limit:
            if current:
                messages.append(current)
                current = ""
            plain = html.unescape(_TAG.sub("", block))
            step = limit // 2  # UTF-16 pairs can double a slice's length
            messages.extend(escape(plain[start : start + step]) for start in range(0, len(plain), step))
            continue
        candidate = f"{current}{separator}{block}" if current else block
        if visible_length(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def window_phrase(since: datetime, until: datetime) -> str:
    """'the last 24 hours', 'the last 7 days'."""
    hours = round((until - since).total_seconds() / 3600)
    if hours <= 48:
        return f"the last {hours} hours"
    return f"the last {round(hours / 24)} days"


def quote_line(quote: BriefingQuote, with_source: bool = False) -> str:
    """“words” — Speaker (Source)."""
    line = f"“{escape(clip(quote.text, _QUOTE_CHARS))}” — <b>{escape(clip(quote.speaker, _NAME_CHARS))}</b>"
    if with_source and quote.source:
        line += f" ({link(quote.url, quote.source)})"
    if quote.outlets > 1:
        line += f" · quoted by {quote.outlets} outlets"
    return line


def story_block(story: Story, number: int) -> str:
    """One story of a briefing: headline, summary, best quote, sources."""
    marker = {"new": " 🆕", "updated": " 🔄 <i>updated</i>"}.get(story.status, "")
    lines = [f"<b>{number}. {escape(clip(story.headline, _HEADLINE_CHARS))}</b>{marker}"]
    summary = " ".join(escape(clip(sentence, _SENTENCE_CHARS)) for sentence in story.summary[:3])
    if summary:
        lines.append(f"<i>New:</i> {summary}" if story.news_only else summary)
    if story.quote is not None:
        lines.append(f"<blockquote>{quote_line(story.quote)}</blockquote>")
    lines.append(sources_line(story))
    return "\n".join(lines)


def render_shared_story(story: Story) -> str:
    """One story as a message of its own, as an inline result posts it: headline, summary, key quote, sources."""
    lines = [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>"]
    summary = " ".join(escape(clip(sentence, _SENTENCE_CHARS)) for sentence in story.summary[:3])
    if summary:
        lines.append(summary)
    if story.quote is not None:
        lines.append(f"<blockquote>{quote_line(story.quote)}</blockquote>")
    lines.append(sources_line(story))
    return "\n\n".join(line for line in lines if line)


def inline_title(story: Story) -> str:
    """An inline result's title: the headline, plain text (a result's title is not HTML)."""
    return clip(story.headline, 120) or "Untitled story"


def inline_description(story: Story) -> str:
    """An inline result's line under its title: the first summary sentence and who reported it, plain text."""
    lead = clip(story.summary[0], 150) if story.summary else ""
    outlets = max(story.outlet_count, len(story.sources))
    by = f"{outlets} outlets" if outlets > 1 else (story.sources[0].name if story.sources else "")
    return " · ".join(part for part in (lead, clip(by, _NAME_CHARS)) if part)


def sources_line(story: Story, limit: int = 4) -> str:
    """Who reported the story: its outlet, or how many outlets and the first few of them."""
    if not story.sources:
        return ""
    outlets = max(story.outlet_count, len(story.sources))
    if outlets == 1:
        first = story.sources[0]
        return f"📰 {link(first.url, first.name)}"
    shown = ", ".join(link(source.url, source.name) for source in story.sources[:limit])
    more = f" and {outlets - limit} more" if outlets > limit else ""
    return f"📰 Reported by {outlets} outlets: {shown}{more}"


def briefing_header(briefing: Briefing, page: int = 0) -> str:
    """The title line, the window, and a word when the window had to widen."""
    count = len(briefing.stories)
    noun = "story" if count == 1 else "stories"
    header = f"<b>{escape(clip(briefing.title, 120))}</b> · {count} {noun} from {window_phrase(briefing.since, briefing.until)}"
    notes = []
    if briefing.widened_from is not None:
        notes.append(
            f"Nothing in {window_phrase(briefing.until - briefing.widened_from, briefing.until)}, "
            f"so this covers {window_phrase(briefing.since, briefing.until)}."
        )
    if briefing.personal and briefing.unchanged:
        same = "story" if briefing.unchanged == 1 else "stories"
        notes.append(f"{briefing.unchanged} {same} you already have left out.")
    if page:
        header += f" · page {page + 1} of {pages(briefing)}"
    if notes:
        header += "\n<i>" + " ".join(escape(note) for note in notes) + "</i>"
    return header


def pages(briefing: Briefing, per_page: int = STORIES_PER_PAGE) -> int:
    return max(1, -(-len(briefing.stories) // per_page))


def page_stories(briefing: Briefing, page: int, per_page: int = STORIES_PER_PAGE) -> Sequence[Story]:
    return briefing.stories[page * per_page : (page + 1) * per_page]


def render_briefing(briefing: Briefing, page: int = 0, per_page: int = STORIES_PER_PAGE) -> list[str]:
    """The messages of one page of a briefing; the first page ends with the quote digest."""
    if briefing.empty:
        return [render_empty(briefing)]
    blocks = [briefing_header(briefing, page)]
    first = page * per_page
    for offset, story in enumerate(page_stories(briefing, page, per_page)):
        blocks.append(story_block(story, first + offset + 1))
    if page == 0 and briefing.quotes:
        digest = ["<b>💬 Key quotes</b>"] + [f"• {quote_line(quote, with_source=True)}" for quote in briefing.quotes]
        blocks.append("\n".join(digest))
    return pack(blocks)


def render_empty(briefing: Briefing) -> str:
    """What a chat gets when there is nothing to brief on."""
    if briefing.personal and briefing.unchanged:
        return (
            f"<b>{escape(briefing.title)}</b>: nothing new since your last briefing "
            f"({briefing.unchanged} {'story' if briefing.unchanged == 1 else 'stories'} unchanged)."
        )
    return f"<b>{escape(briefing.title)}</b>: no articles in {window_phrase(briefing.since, briefing.until)}."


def render_story_detail(story: Story) -> list[str]:
    """'More on this story': the whole summary, the quotes and every source."""
    blocks = [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>"]
    blocks.append("\n".join(summary_lines(story)))
    if story.quotes:
        blocks.append("\n".join(f"<blockquote>{quote_line(quote, with_source=True)}</blockquote>" for quote in story.quotes[:3]))
    blocks.append(render_sources_list(story))
    return pack(blocks)


def summary_lines(story: Story) -> list[str]:
    """The summary sentences as bullets, each with its outlet when the story has several."""
    pool = story.told or tuple(zip(story.summary, story.summary_outlets or ("",) * len(story.summary)))
    several = len({outlet for _, outlet in pool}) > 1
    return [
        f"• {escape(clip(text, _SENTENCE_CHARS))}" + (f" <i>({escape(clip(outlet, _NAME_CHARS))})</i>" if several and outlet else "")
        for text, outlet in pool
    ]


def render_story_quotes(story: Story) -> list[str]:
    """All of a story's quotations, best first."""
    if not story.quotes:
        return [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>\nNo direct quotations in this story."]
    blocks = [f"<b>💬 Quotes: {escape(clip(story.headline, _HEADLINE_CHARS))}</b>"]
    blocks.extend(f"<blockquote>{quote_line(quote, with_source=True)}</blockquote>" for quote in story.quotes)
    return pack(blocks)


def render_sources_list(story: Story) -> str:
    """Every outlet that reported the story, one line each with its article."""
    lines = [f"<b>Sources</b> ({len(story.sources)})"]
    lines.extend(f"• {link(source.url, source.name)}: {escape(clip(source.title, 150))}" for source in story.sources[:20])
    return "\n".join(lines)


def render_quotes_by_speaker(title: str, quotes: Sequence[Any], since: datetime, until: datetime) -> list[str]:
    """/quotes: a topic's key quotations grouped by who said them."""
    if not quotes:
        return [f"<b>💬 {escape(title)}</b>: no direct quotations in {window_phrase(since, until)}."]
    blocks = [f"<b>💬 Who said what: {escape(title)}</b> · {window_phrase(since, until)}"]
    for speaker in group_by_speaker(quotes):
        lines = [f"<b>{escape(clip(speaker.display, _NAME_CHARS))}</b>"]
        lines.extend(
            f"<blockquote>“{escape(clip(quote.text, _QUOTE_CHARS))}” ({link(quote.url, quote.source or 'source')})</blockquote>"
            for quote in speaker.quotes[:4]
        )
        blocks.append("\n".join(lines))
    return pack(blocks)


def render_who(name: str, speaker: Speaker | None, now: datetime, limit: int = 10) -> list[str]:
    """/who: what one person has been quoted saying lately, newest first."""
    if speaker is None:
        return [f"No quotations from <b>{escape(clip(name, _NAME_CHARS))}</b> in the stored articles."]
    count = len(speaker.quotes)
    blocks = [f"<b>🗣 {escape(clip(speaker.display, _NAME_CHARS))}</b> · {count} quotation{'s' if count != 1 else ''}"]
    for quote in speaker.quotes[:limit]:
        when = age_phrase(now - quote.published_at)
        title = quote.article_title or quote.source or "article"
        blocks.append(
            f"<blockquote>“{escape(clip(quote.text, _QUOTE_CHARS))}”</blockquote>\n"
            f"{escape(when)} · {link(quote.url, title)}"
        )
    return pack(blocks)


def render_which_person(name: str, speakers: Sequence[Speaker]) -> str:
    """/who when several people match: the question the buttons under it answer."""
    return f"Several people quoted lately match “{escape(clip(name, _NAME_CHARS))}”. Whom do you mean?"


def age_phrase(age: timedelta) -> str:
    """'3 hours ago', 'yesterday', '5 days ago'."""
    seconds = max(age.total_seconds(), 0)
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h ago"
    days = round(seconds / 86400)
    return "yesterday" if days == 1 else f"{days} days ago"
