"""The worker's app installs: its service worker activates and precaches the shell, and the
app then starts, and keeps the worker's language, with the network off."""

import time

from playwright.sync_api import expect

from tests.browser.steps import heading, open_the_app

WORKER_READY = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(registration && registration.active
                 && registration.active.state === "activated"
                 && navigator.serviceWorker.controller);
}"""


def wait_for_service_worker(page, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(WORKER_READY):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never took control")


def test_the_app_installs_and_starts_offline(live_server, context, page):
    open_the_app(page, live_server)
    wait_for_service_worker(page)
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
        wait_for_service_worker(page)
    cached = page.evaluate("""async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith("adref-shell-"));
      const cache = await caches.open(names[0]);
      return {names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname)};
    }""")
    assert len(cached["names"]) == 1
    assert {"/app", "/static/app/app.js", "/static/i18n/cy.json"} <= set(cached["urls"])

    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    offer = page.get_by_role("button", name="Cymraeg")
    expect(offer).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    # Cymraeg is offered first.
    assert page.locator("button.choice").first.inner_text() == "Cymraeg"

    offer.click()
    heading(page, "Gosod y llechen hon")
    page.reload()
    heading(page, "Gosod y llechen hon")
    assert page.evaluate("document.documentElement.lang") == "cy"


def test_the_manifest_makes_the_app_installable(live_server, page):
    response = page.goto(live_server + "/manifest.webmanifest")
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/app"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(live_server + icon["src"]).headers["content-type"] == "image/png"
