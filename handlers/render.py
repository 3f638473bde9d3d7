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

from summaries.briefing import UNNAMED_SOURCE, Briefing, BriefingQuote, Source, Story
from handlers.translations import IN_ENGLISH, Translator
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


def window_phrase(since: datetime, until: datetime, t: Translator = IN_ENGLISH) -> str:
    """'the last 24 hours', 'the last 7 days'."""
    hours = round((until - since).total_seconds() / 3600)
    if hours <= 48:
        return t.ngettext("the last {n} hour", "the last {n} hours", hours)
    return t.ngettext("the last {n} day", "the last {n} days", round(hours / 24))


def quote_line(quote: BriefingQuote, with_source: bool = False, t: Translator = IN_ENGLISH) -> str:
    """“words” — Speaker (Source)."""
    line = f"“{escape(clip(quote.text, _QUOTE_CHARS))}” — <b>{escape(clip(quote.speaker, _NAME_CHARS))}</b>"
    if with_source and quote.source:
        line += f" ({link(quote.url, quote.source)})"
    if quote.outlets > 1:
        line += " · " + t.ngettext("quoted by {n} outlet", "quoted by {n} outlets", quote.outlets)
    return line


def story_block(story: Story, number: int, t: Translator = IN_ENGLISH) -> str:
    """One story of a briefing: headline, summary, best quote, sources."""
    marker = {"new": " 🆕", "updated": " 🔄 <i>" + t.gettext("updated") + "</i>"}.get(story.status, "")
    lines = [f"<b>{number}. {escape(clip(story.headline, _HEADLINE_CHARS))}</b>{marker}"]
    summary = " ".join(escape(clip(sentence, _SENTENCE_CHARS)) for sentence in story.summary[:3])
    if summary:
        lines.append("<i>" + t.gettext("New:") + f"</i> {summary}" if story.news_only else summary)
    if story.quote is not None:
        lines.append(f"<blockquote>{quote_line(story.quote, t=t)}</blockquote>")
    lines.append(sources_line(story, t=t))
    return "\n".join(lines)


def render_shared_story(story: Story, t: Translator = IN_ENGLISH) -> str:
    """One story as a message of its own, as an inline result posts it: headline, summary, key quote, sources."""
    lines = [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>"]
    summary = " ".join(escape(clip(sentence, _SENTENCE_CHARS)) for sentence in story.summary[:3])
    if summary:
        lines.append(summary)
    if story.quote is not None:
        lines.append(f"<blockquote>{quote_line(story.quote, t=t)}</blockquote>")
    lines.append(sources_line(story, t=t))
    return "\n\n".join(line for line in lines if line)


def inline_title(story: Story, t: Translator = IN_ENGLISH) -> str:
    """An inline result's title: the headline, plain text (a result's title is not HTML)."""
    return clip(story.headline, 120) or t.gettext("Untitled story")


def inline_description(story: Story, t: Translator = IN_ENGLISH) -> str:
    """An inline result's line under its title: the first summary sentence and who reported it, plain text."""
    lead = clip(story.summary[0], 150) if story.summary else ""
    outlets = max(story.outlet_count, len(story.sources))
    by = t.ngettext("{n} outlet", "{n} outlets", outlets) if outlets > 1 else (outlet(story.sources[0], t) if story.sources else "")
    return " · ".join(part for part in (lead, clip(by, _NAME_CHARS)) if part)


def sources_line(story: Story, limit: int = 4, t: Translator = IN_ENGLISH) -> str:
    """Who reported the story: its outlet, or how many outlets and the first few of them."""
    if not story.sources:
        return ""
    outlets = max(story.outlet_count, len(story.sources))
    if outlets == 1:
        first = story.sources[0]
        return f"📰 {link(first.url, outlet(first, t))}"
    shown = ", ".join(link(source.url, outlet(source, t)) for source in story.sources[:limit])
    more = t.gettext(" and {count} more", count=outlets - limit) if outlets > limit else ""
    return "📰 " + t.ngettext("Reported by {n} outlet: {shown}", "Reported by {n} outlets: {shown}", outlets, shown=shown) + more


def outlet(source: Source, t: Translator = IN_ENGLISH) -> str:
    """The outlet's name; an article without one (nor a URL) is 'source' in the chat's language."""
    return t.gettext("source") if source.name == UNNAMED_SOURCE else source.name


def briefing_header(briefing: Briefing, page: int = 0, t: Translator = IN_ENGLISH) -> str:
    """The title line, the window, and a word when the window had to widen."""
    count = len(briefing.stories)
    stories = t.ngettext("{n} story from {window}", "{n} stories from {window}", count, window=window_phrase(briefing.since, briefing.until, t))
    header = f"<b>{escape(clip(t.title(briefing.title), 120))}</b> · {stories}"
    notes = []
    if briefing.widened_from is not None:
        notes.append(
            t.gettext(
                "Nothing in {narrow}, so this covers {wide}.",
                narrow=window_phrase(briefing.until - briefing.widened_from, briefing.until, t),
                wide=window_phrase(briefing.since, briefing.until, t),
            )
        )
    if briefing.personal and briefing.unchanged:
        notes.append(t.ngettext("{n} story you already have left out.", "{n} stories you already have left out.", briefing.unchanged))
    if page:
        header += " · " + t.gettext("page {page} of {pages}", page=page + 1, pages=pages(briefing))
    if notes:
        header += "\n<i>" + " ".join(escape(note) for note in notes) + "</i>"
    return header


def pages(briefing: Briefing, per_page: int = STORIES_PER_PAGE) -> int:
    return max(1, -(-len(briefing.stories) // per_page))


def page_stories(briefing: Briefing, page: int, per_page: int = STORIES_PER_PAGE) -> Sequence[Story]:
    return briefing.stories[page * per_page : (page + 1) * per_page]


def render_briefing(briefing: Briefing, page: int = 0, per_page: int = STORIES_PER_PAGE, t: Translator = IN_ENGLISH) -> list[str]:
    """The messages of one page of a briefing; the first page ends with the quote digest."""
    if briefing.empty:
        return [render_empty(briefing, t)]
    blocks = [briefing_header(briefing, page, t)]
    first = page * per_page
    for offset, story in enumerate(page_stories(briefing, page, per_page)):
        blocks.append(story_block(story, first + offset + 1, t))
    if page == 0 and briefing.quotes:
        digest = ["<b>💬 " + t.gettext("Key quotes") + "</b>"] + [f"• {quote_line(quote, True, t)}" for quote in briefing.quotes]
        blocks.append("\n".join(digest))
    return pack(blocks)


def render_empty(briefing: Briefing, t: Translator = IN_ENGLISH) -> str:
    """What a chat gets when there is nothing to brief on."""
    title = f"<b>{escape(t.title(briefing.title))}</b>"
    if briefing.personal and briefing.unchanged:
        return title + t.ngettext(
            ": nothing new since your last briefing ({n} story unchanged).",
            ": nothing new since your last briefing ({n} stories unchanged).",
            briefing.unchanged,
        )
    return title + t.gettext(": no articles in {window}.", window=window_phrase(briefing.since, briefing.until, t))


def render_story_detail(story: Story, t: Translator = IN_ENGLISH) -> list[str]:
    """'More on this story': the whole summary, the quotes and every source."""
    blocks = [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>"]
    blocks.append("\n".join(summary_lines(story)))
    if story.quotes:
        blocks.append("\n".join(f"<blockquote>{quote_line(quote, True, t)}</blockquote>" for quote in story.quotes[:3]))
    blocks.append(render_sources_list(story, t))
    return pack(blocks)


def summary_lines(story: Story) -> list[str]:
    """The summary sentences as bullets, each with its outlet when the story has several."""
    pool = story.told or tuple(zip(story.summary, story.summary_outlets or ("",) * len(story.summary)))
    several = len({outlet for _, outlet in pool}) > 1
    return [
        f"• {escape(clip(text, _SENTENCE_CHARS))}" + (f" <i>({escape(clip(outlet, _NAME_CHARS))})</i>" if several and outlet else "")
        for text, outlet in pool
    ]


def render_story_quotes(story: Story, t: Translator = IN_ENGLISH) -> list[str]:
    """All of a story's quotations, best first."""
    if not story.quotes:
        return [f"<b>{escape(clip(story.headline, _HEADLINE_CHARS))}</b>\n" + t.gettext("No direct quotations in this story.")]
    blocks = ["<b>💬 " + t.gettext("Quotes: {headline}", headline=escape(clip(story.headline, _HEADLINE_CHARS))) + "</b>"]
    blocks.extend(f"<blockquote>{quote_line(quote, True, t)}</blockquote>" for quote in story.quotes)
    return pack(blocks)


def render_sources_list(story: Story, t: Translator = IN_ENGLISH) -> str:
    """Every outlet that reported the story, one line each with its article."""
    lines = ["<b>" + t.gettext("Sources") + f"</b> ({len(story.sources)})"]
    lines.extend(f"• {link(source.url, outlet(source, t))}: {escape(clip(source.title, 150))}" for source in story.sources[:20])
    return "\n".join(lines)


def render_quotes_by_speaker(title: str, quotes: Sequence[Any], since: datetime, until: datetime, t: Translator = IN_ENGLISH) -> list[str]:
    """/quotes: a topic's key quotations grouped by who said them."""
    title = t.title(title)
    if not quotes:
        return [f"<b>💬 {escape(title)}</b>" + t.gettext(": no direct quotations in {window}.", window=window_phrase(since, until, t))]
    blocks = ["<b>💬 " + t.gettext("Who said what: {title}", title=escape(title)) + f"</b> · {window_phrase(since, until, t)}"]
    unnamed = t.gettext("source")
    for speaker in group_by_speaker(quotes):
        lines = [f"<b>{escape(clip(speaker.display, _NAME_CHARS))}</b>"]
        lines.extend(
            f"<blockquote>“{escape(clip(quote.text, _QUOTE_CHARS))}” ({link(quote.url, quote.source or unnamed)})</blockquote>"
            for quote in speaker.quotes[:4]
        )
        blocks.append("\n".join(lines))
    return pack(blocks)


def render_who(name: str, speaker: Speaker | None, now: datetime, limit: int = 10, t: Translator = IN_ENGLISH) -> list[str]:
    """/who: what one person has been quoted saying lately, newest first."""
    if speaker is None:
        return [t.gettext("No quotations from <b>{name}</b> in the stored articles.", name=escape(clip(name, _NAME_CHARS)))]
    count = len(speaker.quotes)
    blocks = [f"<b>🗣 {escape(clip(speaker.display, _NAME_CHARS))}</b> · " + t.ngettext("{n} quotation", "{n} quotations", count)]
    for quote in speaker.quotes[:limit]:
        when = age_phrase(now - quote.published_at, t)
        title = quote.article_title or quote.source or t.gettext("article")
        blocks.append(
            f"<blockquote>“{escape(clip(quote.text, _QUOTE_CHARS))}”</blockquote>\n"
            f"{escape(when)} · {link(quote.url, title)}"
        )
    return pack(blocks)


def render_which_person(name: str, speakers: Sequence[Speaker], t: Translator = IN_ENGLISH) -> str:
    """/who when several people match: the question the buttons under it answer."""
    return t.gettext("Several people quoted lately match “{name}”. Whom do you mean?", name=escape(clip(name, _NAME_CHARS)))


def age_phrase(age: timedelta, t: Translator = IN_ENGLISH) -> str:
    """'3 hours ago', 'yesterday', '5 days ago'."""
    seconds = max(age.total_seconds(), 0)
    if seconds < 3600:
        return t.gettext("{minutes} min ago", minutes=max(1, round(seconds / 60)))
    if seconds < 86400:
        return t.gettext("{hours} h ago", hours=round(seconds / 3600))
    days = round(seconds / 86400)
    return t.gettext("yesterday") if days == 1 else t.ngettext("{n} day ago", "{n} days ago", days)
