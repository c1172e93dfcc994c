"""The app shell's budget: bytes (icons excluded) of everything the service worker precaches, as
sent over the wire (compressed) and unpacked; requests on first load; and time until the first
screen is usable offline from the cache, in real Chromium against the app served by gunicorn.
Targets: at most 150 KB on the wire, at most 20 requests, interactive offline within 1 s."""

import time

import requests
from playwright.sync_api import sync_playwright

from bench.common import gunicorn, prepare_database, temporary_sqlite

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
WORKER_READY = """async () => {
  const r = await navigator.serviceWorker.getRegistration();
  return Boolean(r && r.active && r.active.state === "activated"
                 && navigator.serviceWorker.controller);
}"""


def shell_file_sizes(url: str) -> tuple[int, int]:
    """A file's bytes as sent to Chromium over HTTPS (which accepts these encodings; the server
    picks brotli or zstd for files, gzip for answers it makes whole) and unpacked."""
    with requests.get(url, headers={"Accept-Encoding": BROWSER_ENCODINGS}, stream=True,
                      timeout=10) as answer:
        wire = answer.raw.read(decode_content=False)
    return len(wire), len(requests.get(url, headers={"Accept-Encoding": "identity"},
                                       timeout=10).content)


def main() -> None:
    database_url = temporary_sqlite("pwa.sqlite3")
    prepare_database(database_url, 1)
    with gunicorn(database_url) as (base, _process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        loaded = []
        page.on("requestfinished", lambda request: loaded.append(request))
        page.goto(base + "/app")
        page.get_by_role("button", name="Cymraeg").wait_for()
        for _ in range(200):
            if page.evaluate(WORKER_READY):
                break
            page.wait_for_timeout(50)
        page_requests = [r for r in loaded if r.frame == page.main_frame
                         and "/sw.js" not in r.url and "/precache.json" not in r.url]
        # The whole shell, as the service worker caches it: also the screens loaded later.
        precached = requests.get(base + "/app/precache.json", timeout=10).json()["urls"]
        sizes = [shell_file_sizes(base + url) for url in precached if "/static/icons/" not in url]
        shell_bytes = sum(wire for wire, _ in sizes)
        unpacked_bytes = sum(unpacked for _, unpacked in sizes)
        context.set_offline(True)
        started = time.perf_counter()
        page.reload()
        page.get_by_role("button", name="Cymraeg").wait_for()
        offline_seconds = time.perf_counter() - started
        browser.close()
    print(f"shell_bytes={shell_bytes} (on the wire; {unpacked_bytes} unpacked) target<=153600 "
          f"{'ok' if shell_bytes <= 153600 else 'OVER'}")
    print(f"requests={len(page_requests)} target<=20 {'ok' if len(page_requests) <= 20 else 'OVER'}")
    print(f"interactive_offline_s={offline_seconds:.3f} target<=1.0 "
          f"{'ok' if offline_seconds <= 1.0 else 'OVER'}")
    print(f"ratio={shell_bytes / 153600:.3f}  (shell bytes over the 150 KB budget)")


if __name__ == "__main__":
    main()
