"""A phone number a child gave: a UK number, or an international one starting with +, judged
by the `phonenumbers` library and kept in E.164 (+447700900123), so that the police can search
for it whichever way it was written."""

import phonenumbers

# A number written without a country code is a UK one.
REGION = "GB"


def e164(written: str | None) -> str | None:
    """The number in E.164, or None when it is no valid number."""
    if not written:
        return None
    try:
        parsed = phonenumbers.parse(written, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalised(written: str | None) -> str | None:
    """The number in E.164 when it is valid, else the text as written (trimmed), for the rules
    to refuse with a reason."""
    if written is None:
        return None
    return e164(written) or written.strip()
