"""Which files make the app shell, and the precache manifest of their content hashes."""

import hashlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
# Everything the app needs to start with no network: every module and style of the app (found,
# not listed, so a new screen cannot be forgotten), the catalogs, and the icons of the manifest.
SHELL_FILES = (
    *sorted(str(path.relative_to(STATIC)) for path in (STATIC / "app").rglob("*")
            if path.suffix in {".js", ".css"}),
    "i18n/cy.json", "i18n/en.json",
    "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-512.png")
SHELL_PAGE = "/app"


def file_hash(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


SHELL_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "pwa" / "shell.html"
SERVICE_WORKER = STATIC / "sw.js"


def shell_urls() -> list[str]:
    return [SHELL_PAGE, *sorted(asset_url(name) for name in SHELL_FILES)]


def shell_version() -> str:
    """Changes whenever any file of the shell, its page or the service worker changes."""
    parts = shell_urls() + [hashlib.sha256(path.read_bytes()).hexdigest()
                            for path in (SHELL_TEMPLATE, SERVICE_WORKER)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def precache_manifest() -> dict:
    """URLs to cache, each carrying its content hash, and the version they make together: a
    new version is installed whole by the service worker, and the old one deleted."""
    return {"version": shell_version(), "shell": SHELL_PAGE, "urls": shell_urls()}


def asset_url(name: str) -> str:
    return f"/static/{name}?v={file_hash(name)}"
