"""The layers read downward only (ARCHITECTURE.md, "The rules between layers"): bot -> handlers -> storage.

Every import counts, at the top of a module, inside a function or under TYPE_CHECKING: an import put off
into a function is still the layer above reached from below."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What each layer may never import: the layers above it and, for the flows, the libraries of the channels and
# of the database (a flow sees Incoming, Ctx, Reply and storage's functions).
FORBIDDEN = {
    "storage": ("handlers", "bot"),
    "handlers": ("bot", "telegram", "sqlalchemy", "sqlmodel"),
}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names, with its line; a relative import is within its own package."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported(tree):
            if module.split(".")[0] in FORBIDDEN[layer]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_storage_imports_neither_handlers_nor_bot():
    assert violations("storage") == []


def test_handlers_import_no_bot_telegram_sqlalchemy_or_sqlmodel():
    assert violations("handlers") == []


def test_the_check_sees_imports_inside_functions_and_type_checking_blocks():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sqlmodel import Session\n"
        "def f():\n    import bot.report_xlsx\n    from telegram import Bot\n"
    )
    assert imported(tree) == [(1, "typing"), (3, "sqlmodel"), (5, "bot.report_xlsx"), (6, "telegram")]


SESSION_METHODS = {"get", "exec", "execute", "scalars", "scalar", "add", "delete", "flush", "commit", "query"}


def session_calls(tree: ast.AST) -> list[int]:
    """Lines that use the database session itself (`ctx.db.get(...)`, `ctx.db.exec(...)`, `session.add(...)`)
    rather than a storage function; opening the update's transaction (`self.db.transaction()`) is storage's."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SESSION_METHODS
        and isinstance(node.func.value, (ast.Attribute, ast.Name))
        and (node.func.value.attr if isinstance(node.func.value, ast.Attribute) else node.func.value.id)
        in ("db", "session")
    ]


def test_handlers_read_and_write_only_through_storage_functions():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "handlers").rglob("*.py"))
        for line in session_calls(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []
    assert session_calls(ast.parse("club = ctx.db.get(Club, 1)\nsession.add(x)\n")) == [1, 2]
