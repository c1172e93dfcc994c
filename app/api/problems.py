"""Errors as application/problem+json (RFC 9457), in the person's language."""

from flask import json, make_response, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable
from werkzeug.exceptions import NotFound as PageNotFound

from app.core.errors import Conflict, DomainError, NotFound, ValidationFailed, field_errors

PROBLEM_TYPE_BASE = "https://adref.cymru/problems/"


def _titles():
    # Built per call so that the title follows the request's language.
    return {
        400: _("The request could not be read"),
        401: _("Sign in to continue"),
        403: _("You do not have permission to do that"),
        404: _("Not found"),
        405: _("That method is not allowed here"),
        409: _("That change clashes with the record as it is now"),
        413: _("The request is too large"),
        415: _("Send the request as JSON"),
        422: _("Some of the information is not valid"),
        500: _("Something went wrong on our side"),
        503: _("The service is busy"),
    }


def problem(status: int, detail: str | None = None, **extra):
    body = {
        "type": PROBLEM_TYPE_BASE + str(status),
        "title": _titles().get(status, _titles()[500]),
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return json.dumps(body), status, {"Content-Type": "application/problem+json"}


class NestedTooDeep(BadRequest):
    """A JSON body nesting arrays or objects deeper than any field needs (or than the parser
    reads within Python's limit on recursion)."""

    def __init__(self, most: int):
        super().__init__()
        self.most = most


def _from_http_exception(error: HTTPException):
    detail = None
    if isinstance(error, NestedTooDeep):
        detail = _("The body nests arrays or objects more than %(most)s deep.", most=error.most)
        return problem(400, detail, max_depth=error.most)
    if error.code == 413:
        limit = request.max_content_length
        detail = _("The body may be at most %(limit)s bytes.", limit=limit)
        return problem(413, detail, max_bytes=limit)
    if error.code == 400:
        detail = _("The body is not valid JSON.")
    return problem(error.code or 500, detail)


def headers_of(error: HTTPException) -> list[tuple[str, str]]:
    """What the error says beyond its body, which a body of our own must keep: the methods a 405
    allows (Allow), when to try again (Retry-After), how to sign in (WWW-Authenticate)."""
    return [(name, value) for name, value in error.get_headers()
            if name.lower() != "content-type"]


def _from_validation_error(error: ValidationError):
    return problem(422, _("Check the fields listed."), errors=field_errors(error.messages))


def _from_domain_error(error: DomainError):
    if isinstance(error, ValidationFailed):
        return problem(422, _("Check the fields listed."), errors=field_errors(error.errors))
    if isinstance(error, Conflict):
        detail = str(error.args[0]) if error.args else None
        extra = {"errors": field_errors(error.errors)} if error.errors else {}
        return problem(error.status, detail, **extra)
    return problem(error.status)


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def register_problem_handlers(app, html_error_page) -> None:
    """API paths answer with problem+json; every other path with the HTML error page."""

    def on_http_exception(error: HTTPException):
        answer = _from_http_exception(error) if wants_problem_json() else html_error_page(error)
        response = make_response(answer)
        for name, value in headers_of(error):
            response.headers.setdefault(name, value)
        return response

    def on_domain_error(error: DomainError):
        # A page asking for a record the person may not see (or that is not there) answers as
        # any address that is not there does: no view catches NotFound for itself.
        if isinstance(error, NotFound) and not wants_problem_json():
            return on_http_exception(PageNotFound())
        return _from_domain_error(error)

    app.register_error_handler(HTTPException, on_http_exception)
    app.register_error_handler(ValidationError, _from_validation_error)
    app.register_error_handler(DomainError, on_domain_error)
    app.register_error_handler(IntegrityError, _from_integrity_error)

    def on_operational_error(error: OperationalError):
        if not is_busy(error):
            raise error
        if wants_problem_json():
            body, status, headers = problem(503, _("The service is busy. Try again in a moment."))
            return body, status, headers | {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return html_error_page(ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS))

    app.register_error_handler(OperationalError, on_operational_error)


RETRY_AFTER_SECONDS = 5


def is_busy(error: OperationalError) -> bool:
    """Another writer held the database longer than this request would wait (PostgreSQL's
    lock_timeout, SQLite's busy_timeout)."""
    return getattr(error.orig, "sqlstate", None) == "55P03" or \
        "database is locked" in str(error.orig)


def _from_integrity_error(error: IntegrityError):
    # A constraint caught what the services did not (for example two requests racing to create
    # the same record): the transaction is rolled back and nothing was saved.
    return problem(409, _("The change clashes with a record that exists. Nothing was saved."))
