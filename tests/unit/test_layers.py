"""Layer checks: the seams between the packages, read from each module's imports (with `ast`,
so a word in a docstring or a string is not an import, and an import inside a function or under
TYPE_CHECKING is one)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"

# The modules that read dialogs/ files; only bot/bootstrap.py and bot/cli.py (through
# dialog_bundle) and the adapters themselves call them, so services get dialog data from
# Deps.dialogs, read once.
DIALOG_LOADERS = (
    "bot.adapters.dialogs",
    "bot.adapters.contact_dialogs",
    "bot.adapters.family_dialogs",
    "bot.adapters.dialog_bundle",
)
# What reading a file takes; the domain holds pure rules and is handed its data.
FILE_ACCESS = ("pathlib", "os", "io", "shutil", "yaml", "json", "tomllib", "importlib.resources")
FILE_CALLS = frozenset({"open", "read_text", "read_bytes", "write_text", "write_bytes"})


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, with relative imports resolved (`from x import y` counts as
    both x and x.y, since y may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def imports_any(path: Path, modules: Iterable[str]) -> list[str]:
    """Which of `modules` (or their submodules) `path` imports."""
    found = imported(path)
    return sorted(
        m for m in modules if any(name == m or name.startswith(f"{m}.") for name in found)
    )


def modules_under(*folder: str) -> Iterator[Path]:
    yield from sorted(BOT.joinpath(*folder).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_import_reader_sees_what_a_text_search_would_miss():
    source = BOT / "adapters" / "db" / "store.py"
    assert "sqlalchemy.ext.asyncio" in imported(source)
    assert imports_any(BOT / "emulator" / "methods_edit.py", ["bot.emulator.content"])
    assert not imports_any(BOT / "domain" / "detection" / "crisis_lexicon.py", ["bot.adapters"])


def test_only_the_telegram_package_imports_telegram():
    offenders = [
        relative(path)
        for path in modules_under()
        if "telegram" not in path.relative_to(BOT).parts[:1] and imports_any(path, ["telegram"])
    ]
    assert offenders == []


def test_the_domain_imports_no_services_adapters_telegram_or_sqlalchemy():
    layers = ("bot.services", "bot.adapters", "bot.telegram", "bot.emulator", "sqlalchemy")
    found = {relative(path): imports_any(path, layers) for path in modules_under("domain")}
    assert {path: names for path, names in found.items() if names} == {}


def test_nothing_in_the_domain_reads_files():
    """The domain is handed its data (Deps.dialogs, built in bootstrap); it opens nothing."""
    found = {}
    for path in modules_under("domain"):
        calls = ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        opened = [f"{_called(n)}() line {n.lineno}" for n in calls if _called(n) in FILE_CALLS]
        found[relative(path)] = imports_any(path, FILE_ACCESS) + opened
    assert {path: names for path, names in found.items() if names} == {}


def _called(node: ast.AST) -> str:
    """The name a call calls (`open`, `path.read_text` -> read_text); "" for anything else."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def test_services_take_dialog_data_from_deps_not_from_the_loaders():
    offenders = {
        relative(path): imports_any(path, DIALOG_LOADERS) for path in modules_under("services")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_nothing_outside_the_adapters_imports_sqlalchemy():
    """Services reach storage through `Store` and its repositories (bot/adapters/db), and
    storage failures reach them as bot.domain.storage errors, so no rule needs SQLAlchemy."""
    offenders = [
        relative(path)
        for path in modules_under()
        if path.relative_to(BOT).parts[0] != "adapters" and imports_any(path, ["sqlalchemy"])
    ]
    assert offenders == []


# Who may read dialogs/ files: the composition root, the adapters (the loaders themselves and
# the bundle), and the command line, which reads the bundle once for the `replay` verb.
MAY_LOAD_DIALOGS = ("bot/bootstrap.py", "bot/cli.py", "bot/__main__.py")


def test_only_bootstrap_the_adapters_and_the_cli_call_the_dialog_loaders():
    """Everything else (services, replay, the domain, telegram) is handed the bundle."""
    offenders = {
        relative(path): imports_any(path, DIALOG_LOADERS)
        for path in modules_under()
        if relative(path) not in MAY_LOAD_DIALOGS and path.relative_to(BOT).parts[0] != "adapters"
    }
    assert {path: found for path, found in offenders.items() if found} == {}
