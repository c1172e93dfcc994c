"""The import rules of DESIGN.md ("What may import what") and the README's folder map, held by
tests: no import cycle between the capability packages under app/, core at the bottom, sync/
knowing nothing of Flask or app/, the request read only at the HTTP edge, and a folder map that
names what is there.

Imports are read from the source with ast, in every form: `import a.b`, `import a.b as c`,
`from a import b`, `from . import b` (resolved against the module's package), imports inside
functions and under `if TYPE_CHECKING:`, and importlib.import_module / __import__ with a literal
name."""

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


# --- reading imports ------------------------------------------------------------------------------
def module_name(path: Path) -> str:
    """The dotted name of a source file: app/cases/services.py is app.cases.services, and
    app/cases/__init__.py is app.cases."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    """The package that relative imports in this file start from."""
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _resolved(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".") if package else []
    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def _literal_import(node: ast.Call) -> str | None:
    """The module named by importlib.import_module("x") or __import__("x") (a literal only)."""
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    if name in {"import_module", "__import__"} and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def imports_in(source: str, package: str = "") -> list[tuple[str, int]]:
    """Every module a source imports, with the line: for `from m import n`, both m and m.n (n
    may be a module or a name in m; either way the source depends on m)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolved(node, package)
            if module:
                found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}" if module else alias.name, node.lineno)
                      for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call) and (named := _literal_import(node)):
            found.append((named, node.lineno))
    return found


def imports_of(path: Path) -> list[tuple[str, int]]:
    return imports_in(path.read_text(encoding="utf-8"), package_of(path))


def source_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


# --- the capability packages ------------------------------------------------------------------------
# The bottom layer: what every capability shares. It imports no capability.
BOTTOM = {"core", "extensions", "i18n", "config"}
# The composition root and what only it and the command line use: they may import everything,
# so nothing below them may import them.
COMPOSITION = {"__init__", "models", "cli", "demo", "reference"}


@cache
def capabilities() -> tuple[str, ...]:
    """Every package under app/ but core: auth, cases, ..., and any added later."""
    return tuple(sorted(p.name for p in APP.iterdir()
                        if (p / "__init__.py").exists() and p.name not in BOTTOM))


def app_part(module: str) -> str | None:
    """Which part of app/ a dotted module name is in: app.cases.models is "cases", app.i18n is
    "i18n", and app.create_app is "__init__". The package app alone is none: `from app import
    cases` imports app.cases, and app/__init__.py runs for any import of app.x."""
    parts = module.split(".")
    if parts[0] != "app" or len(parts) == 1:
        return None
    known = parts[1] in capabilities() or parts[1] in BOTTOM or parts[1] in COMPOSITION
    return parts[1] if known else "__init__"


def part_of_file(path: Path) -> str:
    relative = path.relative_to(APP).parts
    return relative[0] if len(relative) > 1 else path.stem


def dependencies() -> dict[tuple[str, str], list[str]]:
    """(A, B): where app/A (a capability or a bottom module) imports anything of app/B, each as
    "file:line module"."""
    edges = defaultdict(list)
    for path in source_files(APP):
        importer = part_of_file(path)
        if importer in COMPOSITION:
            continue
        for module, line in imports_of(path):
            imported = app_part(module)
            if imported is not None and imported != importer:
                where = f"{path.relative_to(ROOT)}:{line} {module}"
                if where not in edges[importer, imported]:
                    edges[importer, imported].append(where)
    return edges


def capability_graph() -> dict[str, set[str]]:
    graph = {name: set() for name in capabilities()}
    for (importer, imported) in dependencies():
        if importer in graph and imported in graph:
            graph[importer].add(imported)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: every component of more than one package holds
    a cycle."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in sorted(graph[node]):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [component for component in found if len(component) > 1]


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One cycle through the component's first package, as [a, b, ..., a]."""
    start, members = component[0], set(component)
    paths = [[start]]
    while paths:  # breadth first: the shortest cycle, which is the easiest to read
        path = paths.pop(0)
        for after in sorted(graph[path[-1]] & members):
            if after == start:
                return path + [start]
            if after not in path:
                paths.append(path + [after])
    raise AssertionError(f"no cycle in {component}")


def describe_cycle(cycle: list[str], component: list[str], edges) -> str:
    lines = [" -> ".join(cycle) + f"  (one of the cycles among {', '.join(component)})"]
    for importer, imported in zip(cycle, cycle[1:], strict=False):
        lines.append(f"  {importer} -> {imported}: " + "; ".join(edges[importer, imported][:3]))
    return "\n".join(lines)


def test_no_import_cycle_between_capability_packages():
    graph, edges = capability_graph(), dependencies()
    assert {"auth", "cases", "interviews", "syncing", "api", "audit"} <= set(graph)
    cycles = [describe_cycle(a_cycle(graph, component), component, edges)
              for component in strongly_connected(graph)]
    assert not cycles, "import cycles between app/'s packages:\n" + "\n".join(cycles)


def test_the_bottom_layer_imports_no_capability():
    """core/ (and extensions.py, i18n.py, config.py beside it) import no capability and not the
    composition root."""
    bad = {edge: where for edge, where in dependencies().items()
           if edge[0] in BOTTOM and edge[1] not in BOTTOM}
    assert not bad, "\n".join(f"{a} imports {b}: {'; '.join(w)}" for (a, b), w in bad.items())


def test_nothing_below_the_composition_root_imports_it():
    """create_app (and the command line's modules) may import everything; a capability that
    imported them would close a cycle through them."""
    bad = {edge: where for edge, where in dependencies().items() if edge[1] in COMPOSITION}
    assert not bad, "\n".join(f"{a} imports {b}: {'; '.join(w)}" for (a, b), w in bad.items())


def test_the_cycle_search_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


# --- the request, read only at the HTTP edge -------------------------------------------------------
REQUEST_STATE = {"request", "g", "session"}
FLASK_GLOBALS = {"flask", "flask.globals"}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def request_state_read(source: str, names=REQUEST_STATE) -> set[str]:
    """Which of Flask's request globals a source reads, in any form: `from flask import g`,
    `from flask import request as r`, `from flask.globals import session`, `import flask` then
    `flask.request`, `import flask as f` then `f.g`, `from flask import globals` then
    `globals.request`."""
    tree = ast.parse(source)
    wanted = {f"{module}.{name}" for module in FLASK_GLOBALS for name in names}
    found, bound = set(), {}  # bound: a local name for flask or flask.globals
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module in FLASK_GLOBALS:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in wanted or alias.name == "*":
                    found.add(full)
                elif full == "flask.globals":
                    bound[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in FLASK_GLOBALS or alias.name.startswith("flask."):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound["flask"] = "flask"
    for node in ast.walk(tree):
        dotted = _dotted(node) if isinstance(node, ast.Attribute) else None
        if dotted:
            first, _, rest = dotted.partition(".")
            if first in bound:
                full = f"{bound[first]}.{rest}"
                found |= {prefix for prefix in wanted if full == prefix
                          or full.startswith(prefix + ".")}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "getattr" and len(node.args) >= 2 \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in bound \
                and isinstance(node.args[1], ast.Constant):
            full = f"{bound[node.args[0].id]}.{node.args[1].value}"
            found |= {full} & wanted
    return found


@pytest.mark.parametrize("source, expected", [
    ("from flask import request", {"flask.request"}),
    ("from flask import g as context", {"flask.g"}),
    ("from flask import Blueprint, session", {"flask.session"}),
    ("from flask.globals import request", {"flask.globals.request"}),
    ("from flask import *", {"flask.*"}),
    ("import flask\nflask.request.args.get('x')", {"flask.request"}),
    ("import flask as f\nf.g.person", {"flask.g"}),
    ("import flask.globals\nflask.globals.session", {"flask.globals.session"}),
    ("from flask import globals as fg\nfg.request", {"flask.globals.request"}),
    ("import flask\ngetattr(flask, 'g')", {"flask.g"}),
    ("def f():\n    from flask import request\n", {"flask.request"}),
    ("from flask import current_app, render_template", set()),
    ("import flask\nflask.current_app.config", set()),
    ("from sqlalchemy.orm import Session\nsession = Session()\nsession.g", set()),
])
def test_the_request_reader_sees_every_form(source, expected):
    assert request_state_read(source) == expected


def at_the_http_edge(path: Path) -> bool:
    """Views and API modules, which parse the request and hand plain values on; the API's own
    package (its before-request check, problem+json, the Resource routes); the composition root.
    And app/i18n.py: it is Flask-Babel's locale selector, which Babel calls with no arguments
    in the middle of a request, so the language (?lang, the signed-in person's choice, the
    cookie, Accept-Language) can only be read there; its other reads are of the same kind
    (remembering ?lang in a cookie after a request, the page's own address in the other
    language for the templates)."""
    relative = path.relative_to(ROOT)
    return (path.name in {"views.py", "api.py"} or relative.parts[:2] == ("app", "api")
            or relative in {Path("app/__init__.py"), Path("app/i18n.py")})


def test_only_the_http_edge_reads_the_request():
    checked, bad = 0, {}
    for path in source_files(APP):
        if at_the_http_edge(path):
            continue
        checked += 1
        read = request_state_read(path.read_text(encoding="utf-8"))
        if read:
            bad[str(path.relative_to(ROOT))] = sorted(read)
    assert checked > 20, "no modules checked"
    assert not bad, f"modules outside views and api modules read the request: {bad}"


def test_services_never_read_the_request():
    """Services take plain arguments and a session: not even the app's configuration."""
    services = source_files(APP)
    services = [path for path in services if path.name == "services.py"]
    assert services, "no services found"
    for path in services:
        read = request_state_read(path.read_text(encoding="utf-8"), REQUEST_STATE | {"current_app"})
        assert not read, f"{path.relative_to(ROOT)} reads request state: {sorted(read)}"


# --- sync/ knows nothing of Flask or app/ ----------------------------------------------------------
def framework_module(module: str) -> bool:
    """Flask (flask, its extensions, werkzeug), SQLAlchemy, or app/."""
    root = module.split(".")[0]
    return root in {"flask", "werkzeug", "sqlalchemy", "app"} or root.startswith("flask_")


@pytest.mark.parametrize("source, package, expected", [
    ("import flask", "sync", {"flask"}),
    ("import app.cases.models as m", "sync", {"app.cases.models"}),
    ("from app import create_app", "sync", {"app", "app.create_app"}),
    ("from .. import app", "sync", {"app"}),
    ("from flask_sqlalchemy import SQLAlchemy", "sync", {"flask_sqlalchemy",
                                                       "flask_sqlalchemy.SQLAlchemy"}),
    ("def f():\n    import werkzeug.exceptions\n", "sync", {"werkzeug.exceptions"}),
    ("import importlib\nimportlib.import_module('app.auth')", "sync", {"app.auth"}),
    ("__import__('sqlalchemy')", "sync", {"sqlalchemy"}),
    ("from . import engine\nfrom sync.protocol import Page", "sync", set()),
])
def test_the_import_reader_sees_every_form(source, package, expected):
    assert {module for module, _line in imports_in(source, package)
            if framework_module(module)} == expected


def test_sync_imports_neither_flask_nor_app():
    paths = source_files(ROOT / "sync")
    assert paths, "no sync package"
    for path in paths:
        bad = {module for module, _line in imports_of(path) if framework_module(module)}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


# --- the README's folder map -----------------------------------------------------------------------
def folder_map() -> set[str]:
    """Every path the README's folder map names (folders end in /), read from its tree: an entry
    is indented two spaces a level under its folder, and its description starts at one column;
    a line indented to that column continues a description."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Folder map\n", 1)[1]
    block = section.split("```", 2)[1].strip("\n").splitlines()
    column = len(re.match(r"\S+\s+", block[0]).group(0))
    named, folders = set(), []
    for line in block:
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent >= column:
            continue
        assert indent % 2 == 0 and indent // 2 <= len(folders), f"misplaced: {line!r}"
        assert len(line) <= column or line[column - 1] == " ", \
            f"a name runs into the descriptions' column: {line!r}"
        del folders[indent // 2:]
        names = line[:column].split()
        named |= {"".join(folders) + name for name in names}
        if len(names) == 1 and names[0].endswith("/"):
            folders.append(names[0])
    return named


def folders_in(folder: Path) -> set[str]:
    return {f"{p.relative_to(ROOT).as_posix()}/" for p in folder.iterdir()
            if p.is_dir() and p.name != "__pycache__" and not p.name.startswith(".")}


def test_the_folder_map_names_what_is_there():
    named = folder_map()
    assert {"app/", "app/core/", "static/app/", "static/app/screens/"} <= named
    missing = [path for path in sorted(named)
               if not (ROOT / path).exists() or (ROOT / path).is_dir() != path.endswith("/")]
    assert not missing, f"the README's folder map names what is not there: {missing}"


def test_the_folder_map_names_every_folder_of_the_app():
    """Every folder directly under app/ and static/app/ (the map's level of detail: a data/ or a
    templates' folder inside them is for their descriptions)."""
    unnamed = sorted((folders_in(APP) | folders_in(ROOT / "static" / "app")) - folder_map())
    assert not unnamed, f"the README's folder map leaves out {unnamed}"


# --- the API's routes -------------------------------------------------------------------------------
def test_every_api_route_is_served_whichever_module_is_imported_first():
    """A capability's api module once imported the API package, which gathered every
    capability's routes: imported first, that module had its own routes silently left out (a
    404 for every sync call). create_app now names each api module, and the API package imports
    none; each is still imported first here, in an interpreter of its own."""
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


def test_no_test_module_imports_another_test_module():
    """Helpers that tests share live in plain modules (tests/browser/steps.py,
    tests/api/helpers.py) or in a conftest.py, never in a test module that other files import."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):  # also `from . import test_x`
                names = [node.module or "", *(alias.name for alias in node.names)]
            else:
                continue
            if any(part.startswith("test_") for name in names for part in name.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert found == [], "test modules imported:\n" + "\n".join(found)


def test_syncing_is_generic_and_small():
    """app/syncing/ keeps the generic machinery of sync alone: it names no synced collection
    (each capability declares its own in its sync.py), and it stays readable: no function over
    40 lines, no file over 300."""
    from app import create_app
    from app.syncing.collections import COLLECTIONS

    create_app({"TESTING": True, "SECRET_KEY": "test-only-secret",
                "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(COLLECTIONS) >= 4
    for path in sorted((ROOT / "app" / "syncing").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        assert source.count("\n") <= 300, f"{where} has over 300 lines"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and node.value in COLLECTIONS:
                raise AssertionError(f"{where}:{node.lineno} names the collection {node.value!r}")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 40, f"{where}:{node.lineno} {node.name} has {length} lines"
