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


def test_every_api_route_is_served_whichever_module_is_imported_first():
    """A capability's api module imports the API package, which gathers every capability's
    routes: imported first, that module once had its own routes silently left out (a 404 for
    every sync call). Each is imported first here, in an interpreter of its own."""
    import subprocess
    import sys

    script = (
        "import importlib, sys\n"
        "importlib.import_module(sys.argv[1])\n"
        "from app import create_app\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'test-only-secret',\n"
        "                  'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "print('\\n'.join(sorted(rule.rule for rule in app.url_map.iter_rules())))\n")
    served = {}
    for first in ("app.syncing.api", "app.interviews.api", "app.api"):
        run = subprocess.run([sys.executable, "-c", script, first], cwd=ROOT, text=True,
                             capture_output=True, check=True, timeout=120)
        served[first] = run.stdout.split()
    assert "/api/v1/sync/push" in served["app.api"]
    assert "/api/v1/interviews" in served["app.api"]
    assert served["app.syncing.api"] == served["app.interviews.api"] == served["app.api"]
