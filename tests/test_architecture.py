"""The floors of ARCHITECTURE.md, checked on the source: who may import whom, and no import circle.

Every import counts, at module level, inside functions and under TYPE_CHECKING alike.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("summaries", "telegram_loopback", "bot", "handlers")
# Handler modules that hold reflexes (what happens on a command, a button, a tick); the
# other handler modules are shared helpers (rendering, keyboards, sending, services).
REFLEXES = {"admin", "buttons", "channels", "chats", "commands", "errors", "inline", "jobs", "push", "subscriptions", "throttle"}


def our_modules() -> dict[str, Path]:
    """Every module of ours by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that a module imports (a `from package import module` names the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        targets.update(target for target in names if target in modules and target != name)
    return targets


def graph() -> dict[str, set[str]]:
    modules = our_modules()
    return {name: imports_of(path, name, modules) for name, path in modules.items()}


def floor(name: str) -> str:
    if name == "bot.app" or name == "bot.cli" or name.startswith("bot.cli."):
        return "top"
    return name.split(".")[0]


ALLOWED = {
    "summaries": {"summaries"},
    "telegram_loopback": {"telegram_loopback"},
    "bot": {"summaries", "bot"},
    "handlers": {"summaries", "bot", "handlers"},
    "top": {"summaries", "bot", "handlers", "top", "telegram_loopback"},
}


def test_each_floor_imports_only_its_own_floor_or_below() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in sorted(targets)
        if floor(target) not in ALLOWED[floor(name)]
    ]
    assert wrong == []


def test_a_handler_module_does_not_use_another_reflex_module_as_a_library() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name.startswith("handlers.") and name.split(".")[1] in REFLEXES
        for target in sorted(targets)
        if target.startswith("handlers.") and target.split(".")[1] in REFLEXES
    ]
    assert wrong == []


def test_no_import_circle() -> None:
    edges = graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            # A package's __init__ importing its own submodules is how a package exports; not a circle.
            if target.startswith(name + "."):
                continue
            if state.get(target) == 1:
                circles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_check_sees_imports_inside_functions_and_under_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from handlers import render\n"
        "def late():\n    from bot.store import engine\n",
        encoding="utf-8",
    )
    modules = {"handlers.render": source, "bot.store.engine": source, "bot.store": source, "handlers": source}
    assert imports_of(source, "bot.probe", modules) == {"handlers.render", "bot.store.engine"}
