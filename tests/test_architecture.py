"""The code's shape: no import circles, and search internals kept inside search/ (issue 2/8).

Walks every project module's imports with ``ast`` — top level and inside functions — so a circle
hidden by a function-level import is found too. Migrations and tests are left out.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {"tests", "migrations", ".venv", "node_modules", "var", "benchmarks", "scripts", "static"}
SEARCH_INTERNALS = ("search.backends", "search.segment", "search.query", "search.snippets")


def project_modules() -> dict[str, Path]:
    """Return {dotted module name: file} for every Python module of the project's packages."""
    modules = {}
    for init in ROOT.glob("*/__init__.py"):
        package = init.parent
        if package.name in SKIPPED_DIRS:
            continue
        for path in package.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if SKIPPED_DIRS & set(parts[:-1]):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the project modules ``name`` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            targets = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def _is_parent_package(a: str, b: str) -> bool:
    return b.startswith(a + ".") or a.startswith(b + ".")


def test_no_project_module_imports_itself_in_a_circle(graph):
    # A package's __init__ re-exporting its own submodules is not a circle between rooms.
    pruned = {name: {t for t in targets if not _is_parent_package(name, t)} for name, targets in graph.items()}
    assert _cycles(pruned) == []


def test_nothing_outside_search_imports_its_internals(graph):
    offenders = sorted((name, target) for name, targets in graph.items() if not name.startswith("search")
                       for target in targets if target.startswith(SEARCH_INTERNALS))
    assert offenders == []


def _all_imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module or "")
    return names


def test_the_library_folder_imports_no_django_and_no_project_app():
    apps = {name.split(".")[0] for name in project_modules()} - {"lib"}
    offenders = sorted((path.name, name) for path in (ROOT / "lib").glob("*.py")
                       for name in _all_imported_names(path)
                       if name.split(".")[0] in {"django", "wagtail", *apps})
    assert offenders == []


def test_a_library_module_runs_without_django_configured():
    import subprocess
    import sys

    modules = sorted(p.stem for p in (ROOT / "lib").glob("*.py") if p.stem != "__init__")
    code = "import sys\n" + "".join(f"import lib.{m}\n" for m in modules) + (
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr


def test_no_folder_holds_more_than_sixteen_python_modules():
    folders = {path.parent for path in project_modules().values()}
    crowded = {str(folder.relative_to(ROOT)): n for folder in folders
               if (n := len(list(folder.glob("*.py")))) > 16}
    assert crowded == {}


def _explained(lines: list[str], index: int) -> bool:
    """An import is explained by a comment on its line, or above the block of imports it belongs to."""
    while index >= 0:
        line = lines[index].strip()
        if "#" in line:
            return True
        if not line.startswith(("from ", "import ", ")")) and not line.endswith((",", "(")):
            return False
        index -= 1
    return False


def test_every_import_inside_a_function_says_why():
    """Imports inside functions only where Django requires them, each with a one-line reason."""
    unexplained = []
    for name, path in project_modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines), filename=str(path))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _explained(lines, node.lineno - 1):
                    unexplained.append(f"{name}:{node.lineno}")
    assert unexplained == []
