"""Which language a person sees: ?lang= on any page, then their stored preference, then the
cookie, then the browser's Accept-Language."""

import hashlib
import io
import json
from pathlib import Path
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, to_user_timezone

LANG_COOKIE = "adref_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def requested_language() -> str | None:
    """The ?lang= switch, when it names a language we offer."""
    wanted = request.args.get("lang")
    return wanted if wanted in supported_languages() else None


def select_locale() -> str:
    if not has_request_context():  # a command or a test outside a request: the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    person = getattr(g, "person", None)
    candidates = (
        requested_language(),
        person.preferred_language if person is not None else None,
        request.cookies.get(LANG_COOKIE),
    )
    for language in candidates:
        if language in supported_languages():
            return language
    return request.accept_languages.best_match(supported_languages()) or "en"


def current_language() -> str:
    return str(get_locale())


def other_language() -> str:
    return "en" if current_language() == "cy" else "cy"


# English dates are written the British way ("Sunday, 1 March 2026"): CLDR's plain "en" is
# American English ("Sunday, March 1, 2026"). The app's format.js follows the same patterns.
DATE_LOCALES = {"cy": "cy", "en": "en_GB"}


def date_locale(language: str | None = None) -> str:
    language = language or current_language()
    return DATE_LOCALES.get(language, language)


def full_date(moment, language: str | None = None) -> str:
    """"Dydd Sul, 1 Mawrth 2026": the day in Europe/London, in the reader's language."""
    if hasattr(moment, "hour"):
        moment = to_user_timezone(moment).date()
    return babel_format_date(moment, format="full", locale=date_locale(language))


def clock_time(moment, language: str | None = None) -> str:
    """24-hour time in Europe/London: "14:05"."""
    return babel_format_time(to_user_timezone(moment), "HH:mm", locale=date_locale(language))


def _remember_switch(response):
    chosen = requested_language()
    if chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True)
    return response


def this_page_in(language: str) -> str:
    """The address of the page being shown, with the same search, in another language (an
    error page with no page behind it: the landing page). Built from the path and the query as
    they came, never through url_for, which takes some query names as its own instructions."""
    if request.endpoint is None:
        return url_for("pages.landing", lang=language)
    query = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    return request.path + "?" + urlencode(query + [("lang", language)])


def _template_helpers():
    return {"current_language": current_language, "other_language": other_language,
            "this_page_in": this_page_in, "full_date": full_date, "clock_time": clock_time}


def init_i18n(app, babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_switch)
    app.context_processor(_template_helpers)


# --- catalogs for the PWA -----------------------------------------------------------------------
# The PWA reads its interface text as JSON made from the same gettext catalogs as the server's
# pages (`flask --app wsgi export-catalogs`, which `make` runs), so there is one source of text.
CATALOG_DIR = Path(__file__).resolve().parent.parent / "translations"
PWA_CATALOG_DIR = Path(__file__).resolve().parent.parent / "static" / "i18n"
CLDR_CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")


# Functions giving the msgids of messages the server sends the app for it to word in the
# reader's language (the limits a tablet checks before it queues a change), registered by
# whoever sends them.
_SENT_TO_THE_APP: list = []


def also_worded_by_the_app(msgids) -> None:
    """Registers a function giving msgids the server sends the app (once; again changes nothing)."""
    if msgids not in _SENT_TO_THE_APP:
        _SENT_TO_THE_APP.append(msgids)


def sent_to_the_app() -> frozenset[str]:
    return frozenset(msgid for msgids in _SENT_TO_THE_APP for msgid in msgids())


def used_by_the_app(message, sent: frozenset[str] | None = None) -> bool:
    """Whether the PWA shows this message: its code uses it (extraction notes where each is
    used), or the server sends it to the app by its msgid (`sent`, by default all of those).
    The app's catalogs carry only these: the tablet stores and loads no text it never shows."""
    if any(path.startswith("static/") for path, _line in message.locations):
        return True
    return message.id in (sent_to_the_app() if sent is None else sent)


def pwa_catalog(language: str) -> dict:
    """The app's messages in one language, its plural rule (gettext's, and the CLDR category
    names that Intl.PluralRules gives in the browser) and a version that changes with the
    content. Parsed once for each content of the catalog's file: every sync pull names the
    catalogs' versions, and parsing both .po files was a fifth of the work of a pull, while
    reading and hashing one takes a fraction of a millisecond. (Shared between callers: read
    it, never change it.)"""
    content = (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").read_bytes()
    digest = hashlib.sha256(content).digest()
    sent = sent_to_the_app()
    parsed = _parsed_catalogs.get(language)
    if parsed is None or parsed[0] != (digest, sent):
        parsed = ((digest, sent), _pwa_catalog_of(content, language, sent))
        _parsed_catalogs[language] = parsed  # one step: a request in another thread sees either
    return parsed[1]


# By language: the digest of the catalog's content and the msgids the server sends the app, and
# the app's catalog parsed from them.
_parsed_catalogs: dict[str, tuple[tuple, dict]] = {}


def _pwa_catalog_of(content: bytes, language: str, sent: frozenset[str]) -> dict:
    catalog = read_po(io.BytesIO(content), locale=language)
    messages = {}
    for message in catalog:
        if not message.id or not used_by_the_app(message, sent):
            continue
        if isinstance(message.id, tuple | list):
            forms = list(message.string) if all(message.string) else list(message.id)
            messages[message.id[0]] = forms
        elif message.string:
            # An untranslated message (all of English: its msgids are our English) is left out:
            # the app words it as its msgid, so the precached shell does not carry it twice.
            messages[message.id] = message.string
    body = {
        "language": language,
        "plural_forms": catalog.plural_forms,
        # In the order of the catalog's plural forms, which follow CLDR's order.
        "plural_categories": [tag for tag in CLDR_CATEGORY_ORDER
                              if tag in Locale.parse(language).plural_form.tags | {"other"}],
        "messages": dict(sorted(messages.items())),
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return {"version": hashlib.sha256(canonical.encode()).hexdigest()[:16], **body}


def pwa_catalog_text(language: str) -> str:
    # Compact: the app's shell, these catalogs among it, has a size budget (bench/pwa_budget.py).
    return json.dumps(pwa_catalog(language), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")) + "\n"


def export_pwa_catalogs(languages=("cy", "en")) -> list[Path]:
    PWA_CATALOG_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        path = PWA_CATALOG_DIR / f"{language}.json"
        path.write_text(pwa_catalog_text(language), encoding="utf-8")
        written.append(path)
    return written
