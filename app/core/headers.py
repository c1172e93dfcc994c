"""Response headers for pages that show a child's record."""


def private_page(response):
    """Kept out of every cache, so that Back after signing out on a shared computer shows
    nothing, and the address (which may hold a child's name searched for) is not sent to
    another site as the referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
