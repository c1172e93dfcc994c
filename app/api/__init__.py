"""The versioned JSON API, /api/v1. Each capability's collections come from its own api.py."""

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _

from app.api.openapi import build_openapi
from app.api.problems import problem
from app.api.resources import register_resource

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# Open without signing in: the description of the API holds no one's data.
PUBLIC_ENDPOINTS = {"api.openapi"}
BEARER = "Bearer "


def capability_apis():
    from app.auth import api as auth_api
    from app.cases import api as cases_api
    from app.codelists import api as codelists_api
    from app.interviews import api as interviews_api
    from app.questionnaires import api as questionnaires_api
    from app.syncing import api as syncing_api

    return [auth_api, cases_api, codelists_api, interviews_api, questionnaires_api, syncing_api]


def all_resources():
    return [resource for module in capability_apis()
            for resource in getattr(module, "RESOURCES", [])]


def public_endpoints():
    return PUBLIC_ENDPOINTS.union(*(getattr(m, "PUBLIC_ENDPOINTS", set())
                                    for m in capability_apis()))


def extra_routes():
    return [route for module in capability_apis() for route in getattr(module, "EXTRA_ROUTES", [])]


def _device_token_caller():
    """A device's access token names the person and the device; a revoked device is told to
    erase its data."""
    from app.auth.devices import Refusal, caller_of_access_token
    from app.core.types import utcnow
    from app.extensions import db

    token = request.headers["Authorization"][len(BEARER):].strip()
    outcome = caller_of_access_token(db.session, current_app.config["SECRET_KEY"], token,
                                     utcnow())
    if outcome is Refusal.REVOKED:
        return problem(401, _("This device has been revoked. Its data must be erased."),
                       wipe=True)
    if isinstance(outcome, Refusal):
        return problem(401, _("The access token is not valid or has expired."))
    g.person, g.device = outcome
    return None


@api_blueprint.before_request
def require_sign_in():
    g.device = None
    if request.endpoint in public_endpoints():
        return None
    if request.headers.get("Authorization", "").startswith(BEARER):
        return _device_token_caller()
    if getattr(g, "person", None) is None:
        return problem(401)
    return None


_routes_added = False


def api_blueprint_with_routes() -> Blueprint:
    """The API's blueprint, holding every capability's routes. They are added when the first
    app is made, not when this package is imported: a capability's api module imports this
    package, and if it was imported first, its routes would have been left out, silently
    (the package would have found that module half made)."""
    global _routes_added
    if not _routes_added:
        for resource in all_resources():
            register_resource(api_blueprint, resource)
        for path, endpoint, view, methods, _schema in extra_routes():
            api_blueprint.add_url_rule(path, endpoint, view, methods=methods)
        _routes_added = True
    return api_blueprint


@api_blueprint.get("/openapi.json")
def openapi():
    # Built once per process: it describes the code, which does not change while it runs.
    if "adref_openapi" not in current_app.extensions:
        current_app.extensions["adref_openapi"] = build_openapi(all_resources(), extra_routes())
    return current_app.extensions["adref_openapi"]
