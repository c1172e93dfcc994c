"""Domain errors. Services raise these; the HTTP layer turns them into responses."""


class DomainError(Exception):
    status = 400


class NotFound(DomainError):
    """The record does not exist, or is outside what this person may see (never say which)."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The change clashes with the record's state (for example, a submitted interview)."""

    status = 409


class ValidationFailed(DomainError):
    """Input that is well-formed but wrong. errors maps a field name to its messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("validation failed")
        self.errors = errors
