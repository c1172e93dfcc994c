"""The import rules of DESIGN.md, held by a test: sync/ knows nothing of Flask or app/, and
services take plain arguments, never the request."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_sync_imports_neither_flask_nor_app():
    for path in (ROOT / "sync").rglob("*.py"):
        bad = {m for m in imported_modules(path)
               if m.split(".")[0] in {"flask", "flask_sqlalchemy", "app", "sqlalchemy"}}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_services_never_read_the_request():
    request_state = {"flask.request", "flask.g", "flask.session", "flask.current_app"}
    services = list((ROOT / "app").rglob("services.py"))
    assert services, "no services found"
    for path in services:
        bad = imported_modules(path) & request_state
        assert not bad, f"{path.relative_to(ROOT)} reads request state: {sorted(bad)}"
