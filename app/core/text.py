"""Text as people search it."""

import unicodedata


def folded(text: str | None) -> str:
    """Text with case and accents set aside, so that a search for "sian" finds "Siân" and
    "GWENLLIAN" finds "Gwenllïan": people type names on keyboards with no circumflex, and
    SQLite's LIKE folds the case of ASCII letters only."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matches(search: str | None, *texts: str | None) -> bool:
    """Every word of the search appears in one of the texts, whatever their case and accents."""
    haystack = " ".join(folded(text) for text in texts)
    return all(word in haystack for word in folded(search).split())
