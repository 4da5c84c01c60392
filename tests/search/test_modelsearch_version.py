"""search/wagtail_backend.py copies SQLiteIndex.add_items and PostgresIndex.add_items of django-modelsearch 1.3:
the installed version must be 1.3.x, and those two methods the very ones that were copied."""
import ast
import hashlib
import importlib.util
from importlib import metadata
from pathlib import Path

import pytest
from packaging.version import Version

# sha256 of ast.dump() of each upstream method in django-modelsearch 1.3.2, when the copies were made.
# A change means: read the new upstream body, carry the change into search/wagtail_backend.py, then
# record the new fingerprint here.
COPIED = {
    ("backends/database/sqlite/sqlite.py", "SQLiteIndex"): "c3a9d9bb357553f43ebdfe393a85c9e2e2b471165dad8aecf094501713559735",
    ("backends/database/postgres/postgres.py", "PostgresIndex"): "e9fb47ea14bf742f46ff4c245041c9a3fa2cdde9f448682f520bf5e4b88afc40",
}


def method_fingerprint(relative: str, class_name: str, method: str = "add_items") -> str:
    """Fingerprint a method of an installed modelsearch module from its source, without importing it."""
    root = Path(importlib.util.find_spec("modelsearch").origin).parent
    tree = ast.parse((root / relative).read_text(encoding="utf-8"))
    [cls] = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name]
    [func] = [node for node in cls.body if isinstance(node, ast.FunctionDef) and node.name == method]
    return hashlib.sha256(ast.dump(func).encode()).hexdigest()


def test_the_installed_modelsearch_is_1_3():
    version = Version(metadata.version("modelsearch"))
    assert Version("1.3") <= version < Version("1.4")


@pytest.mark.parametrize(("relative", "class_name"), list(COPIED))
def test_the_copied_modelsearch_methods_are_unchanged_upstream(relative, class_name):
    assert method_fingerprint(relative, class_name) == COPIED[(relative, class_name)]
