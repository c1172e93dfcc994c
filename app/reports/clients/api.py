"""GET /api/v1/reports/annual: the annual figures, suppressed, for a report client's areas.

Not a person's route: the API's sign-in check lets it through (PUBLIC_ENDPOINTS) and it checks
the client's bearer token itself, so a session cookie opens nothing here, and a device's token
is no client's. Nothing is changed but the audit trail, so no CSRF token is asked for."""

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6750 import InsufficientScopeError
from flask import request
from flask_babel import gettext as _

from app.api.problems import problem
from app.api.resources import in_transaction
from app.core.errors import ValidationFailed
from app.extensions import db
from app.reports.clients import services
from app.reports.clients.oauth import ISSUED_AT_PATH, SCOPE, protector
from app.reports.query import report_query

REALM = "adref"


def _refused(error: OAuth2Error):
    """401 (no token, or one that is unknown, expired or of a revoked client), problem+json with
    the bearer challenge of RFC 6750; 403 for a token without the scope."""
    if isinstance(error, InsufficientScopeError):
        return problem(403, _("This token does not allow reading the annual figures."))
    challenge = f'Bearer realm="{REALM}", scope="{SCOPE}"'
    if request.headers.get("Authorization"):
        challenge += ', error="invalid_token"'
        detail = _("The access token is not valid or has expired.")
    else:
        detail = _("Send a report client's access token in the %(header)s header.",
                   header="Authorization: Bearer")
    body, status, headers = problem(401, detail)
    return body, status, headers | {"WWW-Authenticate": challenge}


@in_transaction
def annual_figures():
    """The annual figures of your areas, suppressed"""
    try:
        token = protector.acquire_token([SCOPE])
    except OAuth2Error as error:
        return _refused(error)
    client = token.record.client
    asked = report_query(request.args)
    if asked.errors:
        raise ValidationFailed(asked.errors)
    try:
        areas = services.areas_asked_for(client, request.args.getlist("area"))
    except services.AreaNotGranted as refusal:
        return problem(403, _("This client may not read the figures of the area %(area)s.",
                              area=refusal.code), area=refusal.code)
    from app.reports.clients.serving import annual_figures_of

    return annual_figures_of(db.session, client, asked.period, areas)


annual_figures.openapi = {
    "tags": ["reports"],
    "description": (
        "The annual aggregates of the client's organisation, for the areas asked for (every "
        "area granted when none is), suppressed for publication: a count from 1 to 4 is null "
        "with `suppressed` true, as is any count from which one could be worked out. For "
        "machine clients only: take a token from the token endpoint with your client's "
        "credentials (OAuth2 client credentials)."),
    "security": [{"report_client": [SCOPE]}],
    "parameters": [
        {"in": "query", "name": "year", "schema": {"type": "integer"},
         "description": "A calendar year (the last whole year when neither year nor from and "
                        "to are given)."},
        {"in": "query", "name": "from", "schema": {"type": "string", "format": "date"},
         "description": "The first day of a range (with `to`), instead of a year."},
        {"in": "query", "name": "to", "schema": {"type": "string", "format": "date"},
         "description": "The last day of a range (with `from`)."},
        {"in": "query", "name": "area", "style": "form", "explode": True,
         "schema": {"type": "array", "items": {"type": "string"}},
         "description": "An area's code (GSS), repeated for several; each must be granted to "
                        "the client (else 403)."},
    ],
    "schema": "AnnualFigures",
}

SECURITY_SCHEMES = {"report_client": {
    "type": "oauth2",
    "description": "A report client's credentials, registered by an admin.",
    "flows": {"clientCredentials": {"tokenUrl": ISSUED_AT_PATH,
                                    "scopes": {SCOPE: "Read the annual figures of your areas"}}},
}}

_NAMES = {"type": "object", "properties": {"en": {"type": "string"}, "cy": {"type": "string"}}}
SCHEMAS = {"AnnualFigures": {
    "type": "object",
    "properties": {
        "period": {"type": "object", "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"}}},
        "organisation": {"type": "object", "properties": {"name": {"type": "string"}}},
        "areas": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "kind": {"type": "string"}, "names": _NAMES}}},
        "facts": {"type": "array", "items": {"type": "object", "properties": {
            "measure": {"type": "string"}, "area_kind": {"type": "string"},
            "area": {"type": "string"}, "care_status": {"type": "string"},
            "category": {"type": "string"},
            "value": {"type": "integer", "nullable": True},
            "suppressed": {"type": "boolean"}}}},
        "definitions": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {"title": _NAMES, "definition": _NAMES,
                                             "unit": {"type": "string"},
                                             "source": {"type": "string"}}}},
    },
}}

EXTRA_ROUTES = [
    ("/reports/annual", "reports_annual", annual_figures, ["GET"], None),
]
PUBLIC_ENDPOINTS = {"api.reports_annual"}
