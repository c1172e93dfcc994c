"""Response headers: the ones every response carries (safe_by_default), and those of pages that
show a child's record (private_page)."""

# Only the app's own files run, style and load, nothing written into a page (no inline script,
# event handler or style) and no other site: what an injected piece of markup could do is limited
# to what the app's own files already do. No page may be shown in another site's frame.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def safe_by_default(response, *, secure: bool, private: bool):
    """The headers of every response. `secure`: the request came over HTTPS, so the browser is
    told to use nothing else for a year. `private`: an answer of the API, or a page for someone
    signed in, kept out of every cache unless its view said how it may be kept (the app's shell
    and its service worker do; static files are never private)."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "same-origin")
    if secure:
        headers["Strict-Transport-Security"] = HSTS
    if private:
        headers.setdefault("Cache-Control", "no-store")
    return response


def private_page(response):
    """Kept out of every cache, so that Back after signing out on a shared computer shows
    nothing, and the address (which may hold a child's name searched for) is not sent to
    another site as the referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
