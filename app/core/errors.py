"""Domain errors. Services raise these; the HTTP layer turns them into responses."""

from app.core.messages import in_reader_language


class DomainError(Exception):
    status = 400


class NotFound(DomainError):
    """The record does not exist, or is outside what this person may see (never say which)."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The change clashes with the record's state (for example, a submitted interview). errors,
    when given, names the field the refusal is about, as a validation error would."""

    status = 409

    def __init__(self, detail=None, errors: dict[str, list[str]] | None = None):
        if detail is None and errors:
            detail = next(iter(errors.values()))[0]
        super().__init__(*(() if detail is None else (detail,)))
        self.errors = errors or {}


class ValidationFailed(DomainError):
    """Input that is well-formed but wrong. errors maps a field name to its messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("validation failed")
        self.errors = errors


def field_errors(messages) -> list[dict]:
    """Flattens marshmallow's nested messages into [{"field": "a.b", "messages": [...]}]."""
    found = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            found.append({"field": prefix or "_body",
                          "messages": [in_reader_language(m) for m in value]})

    walk("", messages)
    return found
