"""Which language a person sees: ?lang= on any page, then their stored preference, then the
cookie, then the browser's Accept-Language."""

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

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


def _remember_switch(response):
    chosen = requested_language()
    if chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True)
    return response


def _template_helpers():
    return {"current_language": current_language, "other_language": other_language}


def init_i18n(app, babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_switch)
    app.context_processor(_template_helpers)
