// Adref's service worker: it only caches. It is registered as /sw.js?v=<shell version>, so a
// release is a new worker that precaches the whole new shell before it takes over; old caches
// are deleted when it activates.
const PREFIX = "adref-shell-";
const VERSION = new URL(self.location.href).searchParams.get("v") || "unversioned";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const response = await fetch("/app/precache.json", { cache: "no-store" });
    const manifest = await response.json();
    const cache = await caches.open(CACHE);
    await cache.addAll(manifest.urls);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // data travels by sync, never from this cache
  if (request.mode === "navigate" && url.pathname.startsWith("/app")) {
    event.respondWith(fetch(request).catch(() => caches.match("/app", { cacheName: CACHE })));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // The cache holds one version of each file, so the ?v= of a module's own imports
    // (which carry none) need not match.
    event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true })
      .then((hit) => hit || fetch(request)));
  }
});
