"""marshmallow's own error messages, in the reader's language.

marshmallow words the errors of its fields and validators in English, and has no Welsh. Every
field error reaches a person through `field_errors`, which passes each message through
`in_reader_language`: a wording of marshmallow's is matched here, its values (a length, the
choices) taken out of it, and said again in a message of our catalogs, in plain words. Our own
messages pass through as they are.
"""

import re
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

ENTER_TEXT = _l("Enter text.")
ENTER_A_NUMBER = _l("Enter a number.")
ENTER_A_DATE = _l("Enter a real date.")
ENTER_A_DATE_AND_TIME = _l("Enter a real date and time.")
TRUE_OR_FALSE = _l("This must be true or false.")
A_LIST = _l("This must be a list.")


def unknown_codes(codes) -> LazyString:
    """Codes not in their code list: app/codelists refuses them, and a tablet too, with the code
    lists it holds (app/syncing/limits.py sends it this message)."""
    return _l("Unknown code: %(codes)s.", codes=", ".join(codes))

# marshmallow's wording ({name} marks a value it fills in) -> ours, with the same names.
MARSHMALLOW_WORDINGS = {
    "Missing data for required field.": _l("This is required."),
    "Field may not be null.": _l("This cannot be empty."),
    "Invalid value.": _l("This value is not allowed."),
    "Invalid input.": _l("This value is not allowed."),
    "Invalid input type.": _l("This is not the right kind of value."),
    "Invalid type.": _l("This is not the right kind of value."),
    "Unknown field.": _l("This field is not known here."),
    "Not a valid string.": ENTER_TEXT,
    "Not a valid utf-8 string.": ENTER_TEXT,
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": ENTER_A_NUMBER,
    "Number too large.": _l("The number is too large."),
    "Special numeric values (nan or infinity) are not permitted.": ENTER_A_NUMBER,
    "Not a valid boolean.": TRUE_OR_FALSE,
    "Not a valid datetime.": ENTER_A_DATE_AND_TIME,
    "Not a valid aware datetime.": _l("Give the time with its offset from UTC, for example "
                                      "2026-03-01T14:05:00+00:00."),
    "Not a valid date.": ENTER_A_DATE,
    "Not a valid UUID.": _l("This must be an identifier (a UUID)."),
    "Not a valid email address.": _l("Enter a full email address, with an @ sign."),
    "Not a valid list.": A_LIST,
    "Not a valid mapping type.": _l("This must be a set of names and values."),
    "Shorter than minimum length {min}.": _l("Use %(min)s characters or more."),
    "Longer than maximum length {max}.": _l("Use %(max)s characters or fewer."),
    "Length must be between {min} and {max}.": _l("Use from %(min)s to %(max)s characters."),
    "Length must be {equal}.": _l("Use exactly %(equal)s characters."),
    "Must be greater than or equal to {min}.": _l("This must be %(min)s or more."),
    "Must be greater than {min}.": _l("This must be more than %(min)s."),
    "Must be less than or equal to {max}.": _l("This must be %(max)s or less."),
    "Must be less than {max}.": _l("This must be less than %(max)s."),
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        _l("This must be from %(min)s to %(max)s."),
    "Must be one of: {choices}.": _l("Choose one of: %(choices)s."),
    "Must be equal to {other}.": _l("This must be %(other)s."),
    "String does not match expected pattern.": _l("This is not in the form expected."),
    # The sync protocol's own (sync/ knows nothing of Flask, so it cannot translate).
    "mutation_id must be strictly increasing": _l("Each change in a batch must be numbered "
                                                  "higher than the change before it."),
}


# Bounds are one word ("5"); a list of choices may be several.
BOUNDS = {"min", "max", "equal"}


def _pattern(wording: str) -> re.Pattern:
    def value(found: re.Match) -> str:
        name = found.group(1)
        return f"(?P<{name}>\\S+?)" if name in BOUNDS else f"(?P<{name}>.+?)"

    return re.compile(re.sub(r"\\\{(\w+)\\\}", value, re.escape(wording)))


# The longest wordings first: "Must be greater than or equal to {min}." would otherwise take
# "{min} and less than or equal to {max}" for its {min}.
_MATCHERS = [(_pattern(wording), ours) for wording, ours in
             sorted(MARSHMALLOW_WORDINGS.items(), key=lambda item: -len(item[0]))]


def in_reader_language(message) -> str:
    """A field error's message as the reader should see it."""
    if not isinstance(message, str):
        return str(message)  # one of our own (a lazy string), translated when it is made text
    for pattern, ours in _MATCHERS:
        found = pattern.fullmatch(message)
        if found:
            return str(ours) % found.groupdict() if found.groupdict() else str(ours)
    return message


def for_the_app(message) -> dict:
    """A field error's message as the app is sent it, to word it in the reader's language with
    its own catalogs: {"msgid": our message's English source, "params": its values}. The same
    steps as in_reader_language, so the app says what the server would say."""
    if isinstance(message, LazyString):  # one of our own
        return {"msgid": msgid_of(message), "params": dict(message._kwargs)}
    msgid, params = _ours(message)
    return {"msgid": msgid, "params": dict(params)}


@cache
def _ours(message: str) -> tuple[str, tuple]:
    """Our msgid for marshmallow's message, and the values taken out of it (the limits a tablet
    is sent are read for every pull, and say the same few messages again and again)."""
    for pattern, ours in _MATCHERS:
        found = pattern.fullmatch(message)
        if found:
            return msgid_of(ours), tuple(found.groupdict().items())
    raise ValueError(f"no message of ours says {message!r}: add its wording above")


def msgid_of(message: LazyString) -> str:
    """The English source of one of our messages (lazy_gettext keeps it as its first argument)."""
    (msgid,) = message._args
    return msgid
