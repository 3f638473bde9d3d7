"""Direct quotations and their speakers on PolNeAR dev: a naive regex beside newsbrief's extractor.

    .venv/bin/python -m benchmarks.quotes_polnear [--split dev|train] [--errors N]

Gold: a PolNeAR Content span that begins with a quotation mark is a direct quote,
its Source the speaker (one annotation per article). A found quote matches a gold
one when their word sets overlap by at least half of the larger set, one to one.
Speaker accuracy is over matched quotes whose gold source is a name (a pronoun
source stands for the nearest named source before it): correct when the speaker
given shares a name word with the gold source or with the full name it refers to.
newsbrief's quotes are scored where PolNeAR would annotate a direct quote: kind
"full" (the quotation opens its clause), attributed.

Errors by kind, over gold quotes whose source is a name: "no speaker" (newsbrief
found the quotation, kind full, with no speaker), "pronoun kept" (matched, the
speaker given is a pronoun), "fragment" (matched and wrong, the speaker given is
part of a longer phrase wherever the article writes it: "Family" of "the Secretary
of State for the Family", "technology committee" of "the science and technology
committee"; a bare name after "and" is a list's last member, not a fragment),
"wrong person" (matched and wrong otherwise). Last, the count of
quotations of any kind whose speaker is a pronoun or a fragment, over every quote
of bbc-100 (as `analyze` gives them) and of PolNeAR dev: the target is 0.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from benchmarks.corpus import AttributedArticle, bbc_articles, polnear
from summaries.analysis import analyze
from summaries.article import Article
from summaries.cleaning import clean
from summaries.quotes import extract_quotes
from summaries.quotes.lexicon import SENTENCE_OPENERS, TITLES
from summaries.sentences import split_sentences
from summaries.summarize import summarize_sentences

_MARKS = "\"“”‘’'«»„"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PRONOUNS = frozenset("he she they it we i you him her his them who".split())
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'\-.]*\w\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w’'\-.]*\w\.?|[A-Z]\.))+")


@dataclass(frozen=True)
class Found:
    """A quotation a system found: its words and the speaker it gave (as many forms as it has)."""

    text: str
    speaker: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    text: str
    names: frozenset[str] | None  # name words of the source and its full name; None when not a name


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    matched: int = 0
    named: int = 0
    right: int = 0

    def add(self, other: Score) -> None:
        self.found += other.found
        self.gold += other.gold
        self.matched += other.matched
        self.named += other.named
        self.right += other.right

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right / self.named if self.named else 0.0


def words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


def name_words(text: str) -> set[str]:
    """Capitalised words of a name, titles and sentence openers left out."""
    out = set()
    for word in re.findall(r"[A-Z][\w’'\-.]*", text):
        clean_word = re.sub(r"[’']s$", "", word).rstrip(".")
        if clean_word and clean_word.lower() not in TITLES and clean_word not in SENTENCE_OPENERS and clean_word.lower() + "." not in TITLES:
            out.add(clean_word.lower())
    return out


def gold_quotes(article: AttributedArticle) -> list[Gold]:
    """The direct quotes of an article, each with the name words of its speaker (None when unnamed)."""
    text = article.text
    sources: list[tuple[int, str]] = []
    for attribution in article.attributions:
        if attribution.source:
            sources.append((attribution.source[0][0], article.span_text(attribution.source)))
    sources.sort()
    named_sources = [(position, source) for position, source in sources if _is_name(source)]
    out: list[Gold] = []
    for attribution in article.attributions:
        content = article.span_text(attribution.content)
        if not content or content[0] not in _MARKS:
            continue
        source = article.span_text(attribution.source) if attribution.source else ""
        names: frozenset[str] | None = None
        if source.strip().lower() in _PRONOUNS:
            position = attribution.source[0][0]
            before = [name for at, name in named_sources if at < position]
            source = before[-1] if before else ""
        if source and _is_name(source):
            head = re.split(r"[,(]", source)[0]
            found = name_words(head)
            full = _full_name(text, head)
            names = frozenset(found | name_words(full)) if found else None
        out.append(Gold(content, names))
    return out


def _is_name(source: str) -> bool:
    head = re.split(r"[,(]", source)[0].strip()
    if not head or head.lower() in _PRONOUNS:
        return False
    last = head.split()[-1]
    return last[:1].isupper() and bool(name_words(head))


def _full_name(text: str, head: str) -> str:
    """The longest capitalised run of the article that ends with the source's last name word."""
    tokens = head.split()
    if not tokens:
        return ""
    surname = re.sub(r"[’']s$", "", tokens[-1])
    best = ""
    for match in _NAME_RUN.finditer(text):
        run = match.group()
        if re.sub(r"[’']s$", "", run.split()[-1]) == surname and len(run) > len(best):
            best = run
    return best


def score(found: list[Found], gold: list[Gold]) -> tuple[Score, list[tuple[Found | None, Gold | None, bool | None]]]:
    """Match one article's found quotes to its gold quotes one to one, best overlaps first."""
    pairs = []
    found_words = [words(quote.text) for quote in found]
    gold_words = [words(quote.text) for quote in gold]
    for i, mine in enumerate(found_words):
        for j, theirs in enumerate(gold_words):
            if not mine or not theirs:
                continue
            overlap = len(mine & theirs) / max(len(mine), len(theirs))
            if overlap >= 0.5:
                pairs.append((overlap, i, j))
    pairs.sort(reverse=True)
    used_found: set[int] = set()
    used_gold: set[int] = set()
    result = Score(found=len(found), gold=len(gold))
    details: list[tuple[Found | None, Gold | None, bool | None]] = []
    for _, i, j in pairs:
        if i in used_found or j in used_gold:
            continue
        used_found.add(i)
        used_gold.add(j)
        result.matched += 1
        right: bool | None = None
        if gold[j].names:
            result.named += 1
            given = set()
            for form in found[i].speaker:
                given |= name_words(form)
            right = bool(given & gold[j].names)
            result.right += right
        details.append((found[i], gold[j], right))
    details.extend((quote, None, None) for i, quote in enumerate(found) if i not in used_found)
    details.extend((None, quote, None) for j, quote in enumerate(gold) if j not in used_gold)
    return result, details


_SPEECH = r"(?:said|says|told|added|asked|wrote|tweeted|explained|noted|stated|declared)"
_BASE_QUOTE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_BASE_NAME = r"[A-Z][\w’'\-.]+(?:\s+[A-Z][\w’'\-.]+)*"
_BASE_SPEAKER = re.compile(rf"(?P<before>{_BASE_NAME})\s+{_SPEECH}\b|\b{_SPEECH}\s+(?P<after>{_BASE_NAME})")


def baseline(text: str) -> list[Found]:
    """The naive regex: a quoted span of 4 words or more, the nearest capitalised name next to a speech verb."""
    speakers = [(match.start(), match.group("before") or match.group("after")) for match in _BASE_SPEAKER.finditer(text)]
    out = []
    for match in _BASE_QUOTE.finditer(text):
        if len(_WORD.findall(match.group(1))) < 4:
            continue
        speaker = min(
            speakers,
            key=lambda item: min(abs(item[0] - match.start()), abs(item[0] - match.end())),
            default=None,
        )
        out.append(Found(match.group(1), (speaker[1],) if speaker else ()))
    return out


def newsbrief(text: str) -> list[Found]:
    """newsbrief's quotations where PolNeAR would annotate a direct quote: full, attributed."""
    cleaned = clean(text).text
    out = []
    for quote in extract_quotes(cleaned, split_sentences(cleaned)):
        if quote.kind == "full" and quote.speaker:
            forms = tuple(form for form in (quote.speaker, quote.speaker_full, quote.speaker_name) if form)
            out.append(Found(quote.text, forms))
    return out


def is_pronoun(speaker: str | None) -> bool:
    return bool(speaker) and speaker.strip().lower() in _PRONOUNS


_CONTINUES_BEFORE = re.compile(r"(?:\b([A-Z][\w’'\-.]*)|\b(of|for)|\b(?:and|&)) $")
_CONTINUES_AFTER = re.compile(r"^(?:\s[A-Z][\w’'\-]*|\s(?:newspaper|paper|magazine|committee|party|group|board|company|government))")


def is_fragment(speaker: str | None, text: str) -> bool:
    """True when the speaker as given is part of a longer phrase wherever the text writes it."""
    if not speaker or is_pronoun(speaker):
        return False
    head = re.split(r",", speaker)[0].strip()
    if not head:
        return False
    at = text.find(head)
    if at < 0:
        return False
    while at >= 0:
        before = text[max(0, at - 30) : at]
        after = text[at + len(head) : at + len(head) + 20]
        inside_word = (at > 0 and text[at - 1].isalnum()) or (after[:1].isalnum())
        joined = _CONTINUES_BEFORE.search(before)
        if joined and joined.group(1) and (joined.group(1).lower().rstrip(".") in TITLES or joined.group(1) in SENTENCE_OPENERS or joined.group(1).endswith(".")):
            joined = None  # "Secretary Patricia Hewitt", "The …": a title or a sentence's first word, not more of the name
        if joined and (joined.group(1) or joined.group(2)) and len(re.findall(r"\b[A-Z]", head)) >= 2:
            joined = None  # a capitalised word before a full name is a title or an epithet ("Sir", "Democrat")
        if joined and not (joined.group(1) or joined.group(2)) and _bare_name(head):
            joined = None  # "Costas Kenteris and Katerina Thanou": a list's last name, not "Trade and Industry Secretary …"
        if not inside_word and not joined and not _CONTINUES_AFTER.match(after):
            return False  # written whole at least once
        at = text.find(head, at + 1)
    return True


def _bare_name(head: str) -> bool:
    """Two capitalised words or more, none of them a title: a person's name ("Katerina Thanou")."""
    parts = head.split()
    return len(parts) >= 2 and all(part[:1].isupper() and part.lower().rstrip(".") not in TITLES for part in parts)


@dataclass
class Kinds:
    no_speaker: int = 0
    wrong_person: int = 0
    pronoun_kept: int = 0
    fragment: int = 0


def error_kinds(articles: Iterable[AttributedArticle]) -> Kinds:
    """newsbrief's speaker errors on named gold quotes, by kind (see the module's docstring)."""
    kinds = Kinds()
    for article in articles:
        cleaned = clean(article.text).text
        quotes = [quote for quote in extract_quotes(cleaned, split_sentences(cleaned)) if quote.kind == "full"]
        found = [Found(quote.text, tuple(f for f in (quote.speaker, quote.speaker_full, quote.speaker_name) if f)) for quote in quotes]
        _, details = score(found, gold_quotes(article))
        by_found = {id(item): quote for item, quote in zip(found, quotes)}
        for mine, gold, right in details:
            if mine is None or gold is None or not gold.names:
                continue
            quote = by_found[id(mine)]
            if not quote.speaker:
                kinds.no_speaker += 1
            elif right:
                continue
            elif is_pronoun(quote.speaker) or is_pronoun(quote.speaker_full):
                kinds.pronoun_kept += 1
            elif is_fragment(quote.speaker_full, cleaned):
                kinds.fragment += 1
            else:
                kinds.wrong_person += 1
    return kinds


def bad_speakers(texts: Iterable[str], analysed: bool, show: list | None = None) -> tuple[int, int, int]:
    """(quotes, pronoun speakers, fragment speakers) over texts, by analyze or by extract_quotes."""
    total = pronouns = fragments = 0
    for text in texts:
        if analysed:
            cleaned = clean(text).text
            quotes = analyze(Article(text)).quotes
        else:
            cleaned = clean(text).text
            quotes = extract_quotes(cleaned, split_sentences(cleaned))
        for quote in quotes:
            total += 1
            if is_pronoun(quote.speaker) or is_pronoun(quote.speaker_full):
                pronouns += 1
            elif is_fragment(quote.speaker_full, cleaned):
                fragments += 1
                if show is not None:
                    show.append(quote.speaker_full)
    return total, pronouns, fragments


def evaluate(articles: Iterable[AttributedArticle], system: Callable[[str], list[Found]], errors: list | None = None) -> Score:
    total = Score()
    for article in articles:
        result, details = score(system(article.text), gold_quotes(article))
        total.add(result)
        if errors is not None:
            errors.extend((article.name, *detail) for detail in details)
    return total


def speed(articles: list[AttributedArticle], rounds: int = 5) -> tuple[float, float]:
    """Milliseconds per article of the analysis without quotes and with them (analyze), on the same articles.

    The two are timed one after the other on each article, so a busy machine slows both alike;
    the fastest of several rounds counts.
    """
    texts = [article.text for article in articles]
    without_runs, with_runs = [], []
    for _ in range(rounds):
        without = with_quotes = 0.0
        for text in texts:
            started = time.perf_counter()
            cleaned = clean(text)
            split = split_sentences(cleaned.text)
            summarize_sentences(split, "", 3, "news", "english")
            middle = time.perf_counter()
            analyze(Article(text))
            with_quotes += time.perf_counter() - middle
            without += middle - started
        without_runs.append(without)
        with_runs.append(with_quotes)
    return min(without_runs) * 1000 / len(texts), min(with_runs) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each sort")
    arguments = parser.parse_args()
    articles = polnear(arguments.split)
    analyze(Article(articles[0].text))  # warm up sumy and the regexes
    errors: list = []
    rows = [("naive regex", evaluate(articles, baseline)), ("newsbrief", evaluate(articles, newsbrief, errors))]
    gold_total = rows[0][1].gold
    print(f"PolNeAR {arguments.split}: {len(articles)} articles, {gold_total} gold direct quotes")
    print("match: word sets overlap >= half of the larger; newsbrief counts its quotes of kind full that have a speaker")
    print(f"{'system':<14}{'found':>7}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>7}{'speaker acc':>13}  (named)")
    for name, result in rows:
        print(
            f"{name:<14}{result.found:>7}{result.matched:>9}{result.precision:>11.3f}{result.recall:>8.3f}"
            f"{result.f1:>7.3f}{result.speaker_accuracy:>13.3f}  ({result.named})"
        )
    kinds = error_kinds(articles)
    print(
        f"newsbrief speaker errors on named gold quotes: no speaker {kinds.no_speaker}, wrong person {kinds.wrong_person}, "
        f"pronoun kept {kinds.pronoun_kept}, fragment {kinds.fragment}"
    )
    print(f"{'pronoun or fragment speakers':<30}{'quotes':>8}{'pronoun':>9}{'fragment':>10}")
    for name, texts, analysed in (
        ("bbc-100 (analyze)", [text for _, text in bbc_articles()], True),
        (f"PolNeAR {arguments.split}", [article.text for article in articles], False),
    ):
        total, pronouns, fragments = bad_speakers(texts, analysed)
        print(f"{name:<30}{total:>8}{pronouns:>9}{fragments:>10}")
    without, with_quotes = speed(articles)
    print(
        f"speed: analysis {without:.2f} ms/article without quotes, {with_quotes:.2f} ms with them: "
        f"quotes add {with_quotes / without - 1:.0%}"
    )
    if arguments.errors:
        _print_errors(errors, arguments.errors)


def _print_errors(errors: list, limit: int) -> None:
    false_positives = [error for error in errors if error[2] is None]
    misses = [error for error in errors if error[1] is None]
    wrong = [error for error in errors if error[3] is False]
    for title, chosen in (("found, not gold", false_positives), ("gold, not found", misses), ("wrong speaker", wrong)):
        print(f"\n== {title}: {len(chosen)}")
        for name, found, gold, _ in chosen[:limit]:
            print(f"  [{name[:40]}]")
            if found is not None:
                print(f"     found: {found.text[:110]!r} <- {found.speaker[:2]}")
            if gold is not None:
                print(f"     gold:  {gold.text[:110]!r} <- {sorted(gold.names) if gold.names else None}")


if __name__ == "__main__":
    main()
