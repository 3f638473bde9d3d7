"""ReDoS check of every regular expression in summaries/, bot/, handlers/ and telegram_loopback/ (run by .ci/run).

Patterns are found two ways, so that none escapes:

- in the source, by regexploit's own Python scanner (string literals, with file and line);
- at import, by recording every pattern `re` compiles while each module of the four packages is imported
  (patterns built by concatenation, such as cleaning._LEGAL_SENTENCE, exist only then).

Each pattern goes through regexploit (https://github.com/doyensec/regexploit), with two blind spots of
regexploit closed here, both of which hid the catastrophic _CHROME_SENTENCE of issue 12:

- regexploit skips lookarounds: the body of every (?=...), (?!...), (?<=...), (?<!...) is analysed on its own;
- regexploit counts a bounded repeat {m,n} as harmless, but `(?:\\W*\\w+){1,12}` backtracks through every
  split of every word: a bounded repeat (more than once) whose body itself repeats is analysed as unbounded.

A finding is what regexploit-py itself reports (starriness > 2: cubic or worse). A reviewed finding may be
listed in .ci/redos-allow.txt with the reason it is linear in practice; an entry that matches no finding any
more fails the check too, so the list never outlives its patterns.

Exit status 0 when there is no finding outside the allow-list, 1 otherwise.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from re import _constants as sre_constants, _parser as sre_parse  # what regexploit's sre_constants is

from regexploit.ast.sre import SreOpParser
from regexploit.languages.python_node_visitor import PythonNodeVisitor
from regexploit.redos import find

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("summaries", "bot", "handlers", "telegram_loopback")
_RE = Path(re.__file__).parent
ALLOW_LIST = ROOT / ".ci" / "redos-allow.txt"
THRESHOLD = 2  # regexploit-py reports starriness > 2
# Scripts, not modules: run by `python -m` or by alembic (their literal patterns are still scanned in the source).
_NOT_IMPORTED = (".__main__", ".migrations.env")


@dataclass
class Found:
    pattern: str
    flags: int
    places: set[str] = field(default_factory=set)


class _Parser(SreOpParser):
    """regexploit's parser, collecting lookaround bodies and widening nested bounded repeats."""

    def __init__(self, asides: list[list]) -> None:
        super().__init__()
        self.asides = asides

    def from_MAX_REPEAT(self, data):
        minimum, maximum, elements = data
        if maximum is not sre_constants.MAXREPEAT and maximum > 1 and _repeats(elements):
            data = (minimum, sre_constants.MAXREPEAT, elements)
        return super().from_MAX_REPEAT(data)

    def from_MIN_REPEAT(self, data):
        return self.from_MAX_REPEAT(data)

    def from_ASSERT(self, data):
        self.asides.append(list(data[1]))
        return None

    def from_ASSERT_NOT(self, data):
        self.asides.append(list(data[1]))
        return super().from_ASSERT_NOT(data)

    def from_POSSESSIVE_REPEAT(self, data):
        # A possessive repeat never gives back what it took: only its body can backtrack.
        self.asides.append(list(data[2]))
        return None

    def from_ATOMIC_GROUP(self, data):
        self.asides.append(list(data))
        return None


def _repeats(ops) -> bool:
    """True when the ops contain a repeat (so a repeat of them can split its input many ways)."""
    for op, data in ops:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            minimum, maximum, _ = data
            if maximum != minimum:
                return True
            if _repeats(data[2]):
                return True
        elif op is sre_constants.SUBPATTERN and _repeats(data[3]):
            return True
        elif op is sre_constants.BRANCH and any(_repeats(branch) for branch in data[1]):
            return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _repeats(data[1]):
            return True
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None) and _repeats(data):
            return True
    return False


def findings(pattern: str, flags: int) -> list[str]:
    """regexploit's findings for a pattern and for each of its lookarounds, one line each."""
    try:
        top = list(sre_parse.parse(pattern, flags))
    except re.error:
        return []
    queue = [top]
    lines = []
    while queue:
        ops = queue.pop()
        asides: list[list] = []
        parser = _Parser(asides)
        parsed = parser.sequence_or_singleton(ops)
        queue.extend(asides)
        if parsed is None:
            continue
        for redos in find(parsed):
            if redos.starriness > THRESHOLD:
                degree = "exponential" if redos.starriness > 10 else f"degree {redos.starriness}"
                lines.append(f"{degree}: {redos.example()}")
    return lines


def _static() -> dict[str, Found]:
    found: dict[str, Found] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            visitor = PythonNodeVisitor()
            visitor.visit(ast.parse(path.read_bytes()))
            for regex in visitor.patterns:
                _add(found, regex.pattern, regex.flags).places.add(f"{path.relative_to(ROOT)}:{regex.lineno}")
    return found


def _at_import(found: dict[str, Found]) -> None:
    original = re._compile  # type: ignore[attr-defined]

    def recording(pattern, flags):
        if isinstance(pattern, str):
            flags_value = int(flags)
            # The caller of re.compile / re.search / ...: the first frame outside the re package.
            caller = next(frame for frame in reversed(traceback.extract_stack()[:-1]) if not Path(frame.filename).is_relative_to(_RE))
            path = Path(caller.filename).resolve()
            if path.is_relative_to(ROOT) and path.parts[len(ROOT.parts)] in PACKAGES:
                _add(found, pattern, flags_value).places.add(f"{path.relative_to(ROOT)}:{caller.lineno}")
        return original(pattern, flags)

    re._compile = recording  # type: ignore[attr-defined]
    re.purge()
    sys.path.insert(0, str(ROOT))
    try:
        for package in PACKAGES:
            importlib.import_module(package)
            module = sys.modules[package]
            for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
                if not info.name.endswith(_NOT_IMPORTED):
                    importlib.import_module(info.name)
    finally:
        re._compile = original  # type: ignore[attr-defined]
    # Patterns compiled before the hook (a module imported by another tool first) are still module globals.
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in PACKAGES:
            continue
        for value in _walk(vars(module).values()):
            if isinstance(value.pattern, str) and value.pattern not in found:
                _add(found, value.pattern, int(value.flags)).places.add(name)


def _add(found: dict[str, Found], pattern: str, flags: int) -> Found:
    """The entry of a pattern; flags seen anywhere for it are all applied (IGNORECASE widens classes)."""
    item = found.setdefault(pattern, Found(pattern, 0))
    item.flags |= flags & ~re.UNICODE
    return item


def _walk(values, depth: int = 0):
    for value in values:
        if isinstance(value, re.Pattern):
            yield value
        elif depth < 3 and isinstance(value, (tuple, list, frozenset, set)):
            yield from _walk(value, depth + 1)
        elif depth < 3 and isinstance(value, dict):
            yield from _walk(value.values(), depth + 1)


def allowed() -> dict[str, str]:
    """The reviewed allow-list: pattern (as repr'd on its line) -> reason."""
    entries: dict[str, str] = {}
    if not ALLOW_LIST.exists():
        return entries
    lines = [line for line in ALLOW_LIST.read_text().splitlines() if line.strip() and not line.startswith("#")]
    for line in lines:
        pattern, _, reason = line.partition("  # ")
        if not reason.strip():
            raise SystemExit(f"{ALLOW_LIST.name}: an entry without a reason: {line}")
        entries[ast.literal_eval(pattern.strip())] = reason.strip()
    return entries


def main() -> int:
    warnings.simplefilter("ignore")
    found = _static()
    _at_import(found)
    allow = allowed()
    used: set[str] = set()
    bad = 0
    for item in sorted(found.values(), key=lambda f: sorted(f.places)):
        lines = findings(item.pattern, item.flags)
        if not lines:
            continue
        if item.pattern in allow:
            used.add(item.pattern)
            continue
        bad += 1
        print(f"ReDoS: {', '.join(sorted(item.places))}\n  pattern: {item.pattern!r}")
        for line in dict.fromkeys(lines):
            print(f"  {line}")
    for stale in sorted(set(allow) - used):
        bad += 1
        print(f"{ALLOW_LIST.name}: no finding matches this entry any more; remove it: {stale!r}")
    print(f"ReDoS check: {len(found)} patterns, {bad} finding(s) outside {ALLOW_LIST.name}, {len(used)} allowed")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
