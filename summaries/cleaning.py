"""Take page chrome out of a saved article: appeals, sign-ups, share links, credits, legal notes.

The rules look at the shape of a paragraph (short, no sentence punctuation,
addressed to the reader) and at the vocabulary page furniture shares across
sites, never at one site's wording alone. A paragraph of reported prose is
kept whatever words it contains; when in doubt, text stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

from summaries.article import CleanedText, Removal
from summaries.sentences import split_paragraphs, split_sentences
from summaries.text import normalize, word_count

_I = re.IGNORECASE

# Whole short paragraphs that are navigation, furniture or calls to act. A pattern that searches the
# whole text (`^.{0,160}\b...`) comes with words it cannot match without: a substring test is far
# cheaper than the search, and those few patterns cost most of the rules' time.
_FURNITURE: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (reason, re.compile(pattern, _I), needs[0] if needs else ())
    for reason, pattern, *needs in (
        ("read-more-link", r"^(?:read|see|click|tap|watch|listen)(?: the)? (?:more|also|here|next|full|on|now|below|this)\b.*$"),
        ("read-more-link", r"^(?:continue reading|keep reading|read more|more:|more$|full story|story continues(?: below)?)\b.{0,120}$"),
        ("share-link", r"^(?:share|tweet|email|print|comment|save|copy link|pin it)(?: (?:this|the|on|via|article|story|page|link)\b.*)?[.!:]?$"),
        ("share-link", r"^(?:(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email|e-mail|print|share)[\s|,/·•]*){2,}$"),
        ("related-links", r"^(?:related|related (?:articles?|stories|coverage|content|topics|news|links|reading)|more on this(?: story| topic)?|more from \w+|recommended(?: for you)?|most (?:read|popular|viewed)|trending(?: now)?|you (?:may|might) also (?:like|be interested in)|further reading|top stories|editor'?s picks|what to read next|latest news|also read)\b.*$"),
        ("advertisement", r"^(?:advertisement|advert|ad|sponsored(?: content)?|promoted(?: content)?|paid (?:content|post|partner content)|supported by\b.*|scroll (?:down )?(?:to|for)\b.*|skip advert\w*)[.:]?$"),
        ("photo-credit", r"^(?:photo|photos|image|images|picture|pictures|video|credit|credits|illustration|graphic|source|photograph)(?: credit| caption| copyright| source)?s?\s*[:|/©].{0,120}$"),
        ("photo-credit", r"^(?:image|photo|picture) (?:caption|copyright)\b.*$"),
        ("photo-credit", r"^[-–—\s(]*(?:[\w.'’-]+\s+){0,4}(?:[\w.'’-]+\s*/\s*|via\s+|/\s*|for\s+|©\s*)?\(?(?:AP Photo|Getty Images?|Reuters|AFP|EPA(?:-EFE)?|TASS|Shutterstock|Alamy|PA Media|PA Wire|Bloomberg|Xinhua|Sputnik|Kremlin\.ru|Anadolu Agency)(?:\s*/\s*[\w.]+(?:\s[\w.]+){0,2})?\)?\.?$",
         ("ap photo", "getty", "reuters", "afp", "epa", "tass", "shutterstock", "alamy", "pa media", "pa wire", "bloomberg",
          "xinhua", "sputnik", "kremlin.ru", "anadolu agency")),
        ("newsletter", r"^.{0,160}\b(?:sign up|signup|subscribe|newsletter|inbox|get (?:our|the) (?:latest|best|daily|weekly)|follow us|join us on|download (?:our|the) app)\b.{0,160}$",
         ("sign up", "signup", "subscribe", "newsletter", "inbox", "get our", "get the", "follow us", "join us on", "download our", "download the")),
        ("cookie-notice", r"^.{0,300}\bcookies?\b.{0,300}\b(?:accept|consent|agree|policy|settings|preferences|use of)\b.{0,300}$", ("cookie",)),
        ("appeal", r"^(?:support|donate|contribute|subscribe|join|become a (?:member|supporter|subscriber|patron)|give|chip in)\b(?:[^.]{0,60}[!]|[^.!?]{0,60}\b(?:today|now|here|us|monthly)\b[.!]?|(?:\s+[\w'’&-]+){0,5})$"),
        ("appeal", r"^(?:remind me later|not (?:ready|now)\b.{0,40}\?|maybe later|no,? thanks?|close|dismiss)[.!]?$"),
        ("appeal", r"^.{0,40}\b(?:pay(?:ment|ing)? methods?|paiment methods?|accepted cards?|one-(?:time|off)|monthly|annual(?:ly)?|yearly)\s*(?:donation|contribution|payment|support|methods?)?[.!]?$",
         ("pay", "paiment", "accepted card", "one-time", "one-off", "monthly", "annual", "yearly")),
        ("legal-note", r"^(?:copyright|©|\(c\))\s.*$|^.{0,200}\ball rights reserved\b.*$", ("copyright", "©", "(c)", "all rights reserved")),
        ("legal-note", r"^.{0,200}\b(?:may not be (?:published|broadcast|rewritten|redistributed|reproduced))\b.*$", ("may not be",)),
        ("reporting-credit", r"^\(?(?:reporting|additional reporting|writing|editing|compiled|produced|graphics|research|fact-checking) by\b.{0,300}\)?\.?$"),
        ("reporting-credit", r"^(?:our standards|the thomson reuters trust principles)\b.*$"),
        ("editor-note", r"^\[[^\[\]]{3,600}\]\.?$"),
        ("editor-note", r"^(?:editor'?s|editors'|publisher'?s) note\s*[:.-].{0,600}$"),
        ("byline", r"^(?:by|words by|text by|posted by|written by)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,4}(?:,.{0,60})?$"),
        ("dateline-stamp", r"^(?:published|updated|posted|last updated|first published|modified)\s*(?:(?:on|at)\s*)?(?:[:.]\s*)?.{0,60}\d.{0,60}$"),
    )
)

def _rules(applies: Callable[[str], bool]) -> tuple[tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...], re.Pattern[str], re.Pattern[str] | None]:
    """The furniture rules for one length of text; their unguarded patterns joined, and their guards' words in one search."""
    rules = tuple(rule for rule in _FURNITURE if applies(rule[0]))
    anchored = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern, needs in rules if not needs) or "(?!)", _I)
    guard_words = sorted({word for _, _, needs in rules for word in needs})
    return rules, anchored, re.compile("|".join(map(re.escape, guard_words))) if guard_words else None


# A paragraph of more than 40 words can only be an editor's note; of more than 30, no newsletter or cookie notice.
_UP_TO_30 = _rules(lambda reason: True)
_OVER_30 = _rules(lambda reason: reason not in ("newsletter", "cookie-notice"))
_OVER_40 = _rules(lambda reason: reason == "editor-note")


def _folded(text: str) -> str:
    """Lower case as the patterns' IGNORECASE compares: also the three letters lower() leaves apart (ı, ſ, İ)."""
    return text.replace("İ", "i").replace("ı", "i").replace("ſ", "s").lower()


# Words of an appeal to the reader to pay, join or come back.
_APPEAL_TERMS = re.compile(
    r"\b(?:support(?:ing|ers?)? (?:us|our|independent|quality|journalism|the)|donat(?:e|ion|ions|ing)|contribut(?:e|ion|ions)\b|"
    r"favou?r to ask|(?:become|as) a (?:member|supporter|subscriber|patron)|subscri(?:be|ption|ber)s?\b|"
    r"independent (?:journalism|news|media|reporting)|reader[- ](?:funded|supported)|paywall|"
    r"(?:no matter how small|every (?:contribution|dollar|pound|euro))|just \$?\d|"
    r"(?:your|reader) support|support (?:today|now|monthly)|we need your help|help us\b|"
    r"(?:quick|takes? (?:a|one) minute) to set up|make a (?:donation|contribution)|chip in)",
    _I,
)
# Words without which _APPEAL_TERMS finds nothing (a substring test before the search).
_APPEAL_WORDS = ("support", "donat", "contribut", "to ask", "member", "patron", "subscri", "independent", "reader",
                 "paywall", "no matter", "every", "just", "need your help", "help us", "to set up", "chip in")
_READER_ADDRESS = re.compile(r"\b(?:you|your|yours|we|our|us)\b", _I)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")

# Notes some laws make publishers append ("... is banned in Russia"): a
# statement that something *is* banned, designated or labelled, not reporting
# that someone banned it.
_LEGAL_STATUS = (
    r"(?:(?:banned|outlawed|prohibited|proscribed|liquidated)\b.{0,60}\bin (?:Russia|the Russian Federation)|"
    r"(?:recogni[sz]ed|designated|declared|listed|labell?ed|branded)(?: as)? (?:an? |the )?(?:\"|“)?(?:extremist|terrorist|undesirable|foreign agent)|"
    r"performing the functions of a foreign agent|foreign (?:mass )?media (?:outlet )?(?:acting|performing) as a foreign agent)"
)
_LEGAL_SENTENCE = re.compile(r"\b(?:is|are|was|were|has been|have been|remains?)\b.{0,100}?" + _LEGAL_STATUS, _I)
_LEGAL_PARENTHESIS = re.compile(
    r"\s*\((?=[^()]{0,160}\))[^()]*?(?:banned|outlawed|prohibited|recogni[sz]ed as|designated(?: as)?|declared)[^()]*?"
    r"(?:in Russia|in the Russian Federation|extremist|terrorist|undesirable|foreign agent)[^()]*\)",
    _I,
)

# Sentences inside prose that are furniture, however the page was flattened. A caption is a label and
# one to twelve words; each word is \w+ between \W+, so there is one way to count them (a repeat of
# `\W*\w+` could split every word anywhere, and tried every split before failing: issue 12).
_CHROME_SENTENCE = re.compile(
    r"^\W*(?:click here\b|scroll down for (?:video|more)|follow (?:us|him|her|\w+) on (?:twitter|facebook|instagram)|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the)\b|read more:|watch the video\b|"
    r"share (?:this|your) (?:story|article|photos?)\b|(?:image|video|photo|pictured):(?=\W*\w+(?:\W+\w+){0,11}\W*$)|"
    r"(?:published|updated|last updated)\s*:|by \. )",
    _I,
)

# What _CHROME_SENTENCE needs somewhere in a paragraph for any of its sentences to match (no anchor,
# no closing \b, the caption's label without its length): without it, nothing to split the paragraph for.
_CHROME_OPENING = re.compile(
    r"click here|scroll down for (?:video|more)|follow (?:us|him|her|\w+) on (?:twitter|facebook|instagram)|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the)|read more:|watch the video|"
    r"share (?:this|your) (?:story|article|photo)|(?:image|video|photo|pictured):|"
    r"(?:published|updated|last updated)\s*:|by \. ",
    _I,
)

# Words without which the patterns above cannot match: plain substring tests
# are far cheaper than running the patterns on every paragraph.
_LEGAL_WORDS = ("banned", "outlawed", "prohibited", "proscribed", "liquidated", "recogni", "designated",
                "declared", "listed", "label", "branded", "foreign agent", "foreign mass media")
# And a word each status of _LEGAL_STATUS (hence _LEGAL_SENTENCE and _LEGAL_PARENTHESIS) holds.
_STATUS_WORDS = ("russia", "extremist", "terrorist", "undesirable", "foreign agent")
_CHROME_WORDS = ("click", "scroll", "follow", "sign up", "subscribe", "read more", "watch the", "share",
                 "image:", "video:", "photo:", "pictured:", "published", "updated", "by . ")


def _mentions(text: str, keywords: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(keyword in lowered for keyword in keywords)


def clean(text: str) -> CleanedText:
    """The article body without chrome, and what was taken out with a reason for each."""
    text = normalize(text)
    paragraphs = [text[start:end] for start, end in split_paragraphs(text)]
    kept: list[str] = []
    removed: list[Removal] = []
    reasons = _classify(paragraphs)
    for paragraph, reason in zip(paragraphs, reasons):
        if reason:
            removed.append(Removal(paragraph, reason))
            continue
        paragraph, inline = _strip_inline_chrome(paragraph)
        removed.extend(inline)
        if paragraph:
            kept.append(paragraph)
    if not kept and paragraphs:
        # Everything looked like chrome: keep the text rather than return nothing.
        return CleanedText("\n\n".join(paragraphs), ())
    return CleanedText("\n\n".join(kept), tuple(removed))


def is_chrome_sentence(sentence: str, count: int | None = None) -> bool:
    """True for a sentence that is page furniture or a legal note, not reporting; `count`: its words, when known."""
    stripped = sentence.strip()
    lowered = stripped.lower()
    if any(keyword in lowered for keyword in _CHROME_WORDS) and _CHROME_SENTENCE.search(stripped):
        return True
    return _furniture_reason(stripped, count) is not None or _is_legal_note(stripped, lowered)


def split_title(raw: str) -> tuple[str, str]:
    """Title and body of a saved .txt: its first line when a blank line follows, past any masthead.

    A masthead line ("Support The Moscow Times!") is not the title; it stays in
    the body, where cleaning takes it out and records it.
    """
    text = normalize(raw)
    paragraphs = text.split("\n\n")
    index = 0
    while index < len(paragraphs) - 1 and _is_masthead(paragraphs[index]):
        index += 1
    first = paragraphs[index]
    if index + 1 < len(paragraphs) and "\n" not in first and 0 < len(first) <= 250:
        return first, "\n\n".join(paragraphs[:index] + paragraphs[index + 1 :])
    return "", text


def _is_masthead(line: str) -> bool:
    line = line.strip()
    return bool(line) and word_count(line) <= 8 and _furniture_reason(line) is not None


def _classify(paragraphs: list[str]) -> list[str | None]:
    """A reason for each chrome paragraph, None for article text.

    An appeal near the end usually runs to the end of the page: once one is
    found in the last part, what follows is removed too unless it reads as
    reporting (long, third person, not addressed to the reader).
    """
    reasons: list[str | None] = [_paragraph_reason(paragraph) for paragraph in paragraphs]
    count = len(paragraphs)
    tail_start = None
    for index, (paragraph, reason) in enumerate(zip(paragraphs, reasons)):
        if index >= count * 0.5 and index > 0 and reason == "appeal" and _addresses_reader(paragraph):
            tail_start = index
            break
    if tail_start is not None:
        for index in range(tail_start + 1, count):
            if reasons[index] is None and (_addresses_reader(paragraphs[index]) or word_count(paragraphs[index]) <= 12):
                reasons[index] = "appeal"
    return reasons


def _paragraph_reason(paragraph: str) -> str | None:
    stripped = paragraph.strip()
    if not stripped:
        return "empty"
    reason = _furniture_reason(stripped)
    if reason:
        return reason
    if _is_legal_note(stripped):
        return "legal-note"
    if _is_appeal(stripped):
        return "appeal"
    return None


def _furniture_reason(text: str, count: int | None = None) -> str | None:
    if "\n" in text:
        # A block of short lines ("Not now / Remind me later") is furniture when every line is.
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        reasons = [_furniture_reason(line) for line in lines]
        if len(lines) <= 8 and all(reasons):
            return reasons[0]
    if count is None:
        count = _word_count_to_41(text)
    if count == 0:
        return "punctuation" if len(text) < 20 else None
    rules, anchored, guards = _OVER_40 if count > 40 else _OVER_30 if count > 30 else _UP_TO_30
    folded = None
    if not anchored.match(text):
        # None of the patterns that fail at once on reporting matched: only a guarded one might, with its word there.
        folded = _folded(text)
        if guards is None or not guards.search(folded):
            return None
    for reason, pattern, needs in rules:
        if needs:
            folded = folded if folded is not None else _folded(text)
            if not any(word in folded for word in needs):
                continue
        if pattern.match(text) and not _reads_as_reporting(text, reason):
            return reason
    return None


def _word_count_to_41(text: str) -> int:
    """The words of a text, or 41 for a long text known to have more: the rules only ask 0, over 30, over 40."""
    # A prefix has no more words than the whole (a word cut at its end still counts one).
    if len(text) > 1000 and word_count(text[:1000]) > 41:
        return 41
    return word_count(text)


def _reads_as_reporting(text: str, reason: str) -> bool:
    """A sentence of reporting that happens to start like furniture stays."""
    if reason in ("photo-credit", "legal-note", "reporting-credit", "advertisement", "dateline-stamp", "byline"):
        return False
    count = word_count(text)
    sentence_like = text.rstrip("\"”’')").endswith((".", "?")) and count >= 10
    return sentence_like and not _addresses_reader(text) and not _APPEAL_TERMS.search(text)


def _is_legal_note(paragraph: str, lowered: str | None = None) -> bool:
    """`lowered`: the paragraph in lower case, when the caller has it."""
    lowered = paragraph.lower() if lowered is None else lowered
    if not any(keyword in lowered for keyword in _LEGAL_WORDS) or not _states_legal_status(paragraph):
        return False
    paragraph = _LEGAL_PARENTHESIS.sub("", paragraph)
    if not _LEGAL_SENTENCE.search(paragraph):
        return False
    sentences = split_sentences(paragraph)
    if not sentences or len(sentences) > 2 or word_count(paragraph) > 45:
        return False
    return all(_LEGAL_SENTENCE.search(sentence.text) for sentence in sentences) and not _QUOTED.search(paragraph)


def _is_appeal(paragraph: str) -> bool:
    unquoted = _QUOTED.sub(" ", paragraph)
    folded = _folded(unquoted)
    if not any(word in folded for word in _APPEAL_WORDS):
        return False
    hits = sum(1 for _ in islice(_APPEAL_TERMS.finditer(unquoted), 2))  # 0, 1 or 2 and more is all that counts
    if hits == 0:
        return False
    if hits >= 2 and _addresses_reader(unquoted):
        return True
    # One hit at least from here; a long paragraph's words are counted only as far as 25 needs.
    short = _word_count_to_41(unquoted) <= 25
    return short and _addresses_reader(unquoted) and "…" not in unquoted[-5:] or unquoted.lstrip().startswith(("…", "..."))


def _addresses_reader(paragraph: str) -> bool:
    """Second person or the publisher's 'we' outside quotations, at a density prose rarely has."""
    unquoted = _QUOTED.sub(" ", paragraph)
    count = max(1, word_count(unquoted))
    hits = len(_READER_ADDRESS.findall(unquoted))
    return hits >= 2 and hits / count >= 0.04 or (hits >= 1 and count <= 12)


def _states_legal_status(text: str) -> bool:
    """False when no legal status can be stated: none of the words every one of them holds."""
    folded = _folded(text)
    return any(word in folded for word in _STATUS_WORDS)


def _strip_inline_chrome(paragraph: str) -> tuple[str, list[Removal]]:
    removed: list[Removal] = []

    def take(match: re.Match[str]) -> str:
        removed.append(Removal(match.group(0).strip(), "legal-note"))
        return ""

    legal = _mentions(paragraph, _LEGAL_WORDS) and _states_legal_status(paragraph)
    if legal and "(" in paragraph:
        paragraph = _LEGAL_PARENTHESIS.sub(take, paragraph)
    if not (legal or _mentions(paragraph, _CHROME_WORDS) and _CHROME_OPENING.search(paragraph)):
        return paragraph.strip(), removed
    sentences = split_sentences(paragraph)
    if len(sentences) > 1:
        kept = []
        for sentence in sentences:
            if _CHROME_SENTENCE.search(sentence.text) or (
                sentence.index == len(sentences) - 1 and _LEGAL_SENTENCE.search(sentence.text) and word_count(sentence.text) <= 25
            ):
                removed.append(Removal(sentence.text, "legal-note" if _LEGAL_SENTENCE.search(sentence.text) else "inline-chrome"))
            else:
                kept.append(sentence.text)
        if len(kept) != len(sentences):
            paragraph = " ".join(kept)
    return paragraph.strip(), removed
