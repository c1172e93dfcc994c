"""The versioned JSON API, /api/v1: its own generic parts (problem+json, the Resource routes,
the OpenAPI document) and nothing of any capability. create_app, the composition root, hands it
each capability's api module and the function that tells whom a bearer token names."""

from collections.abc import Callable, Sequence
from types import ModuleType

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _

from app.api.openapi import build_openapi
from app.api.problems import problem
from app.api.resources import refuse_unstorable_query, register_resource

# Open without signing in: the description of the API holds no one's data.
PUBLIC_ENDPOINTS = {"api.openapi"}
BEARER = "Bearer "
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# A header that a form of another site cannot send (only a script, and a script of another site
# only after a CORS preflight this service never answers).
SCRIPT_HEADER = "X-Requested-With"


def sent_by_script() -> bool:
    """Whether a change that the sign-in cookie authenticates came from a script of this site:
    a JSON body, or the X-Requested-With header. A cross-site form can send neither, so the
    cookie, which the browser would attach, cannot make a change on its own (CSRF)."""
    return request.is_json or bool(request.headers.get(SCRIPT_HEADER))


def _gathered(modules: Sequence[ModuleType], name: str) -> dict:
    """The modules' dictionaries of this name, together (OpenAPI components, say)."""
    return {key: value for module in modules for key, value in getattr(module, name, {}).items()}


def api_blueprint(modules: Sequence[ModuleType], bearer_caller: Callable[[str], object]) -> Blueprint:
    """A blueprint for /api/v1 serving these capability api modules: each may hold RESOURCES
    (collections), EXTRA_ROUTES ((path, endpoint, view, methods, schema)), PUBLIC_ENDPOINTS
    (open without signing in: a route that checks a token of its own), and the OpenAPI
    components its routes name (SECURITY_SCHEMES, SCHEMAS). bearer_caller(token) is called for
    a request that brings an `Authorization: Bearer` token: it sets g.person (and g.device) and
    returns None, or returns the response that refuses the token.

    A new blueprint for each app, made when the app is made: the routes never depend on which
    module happened to be imported first."""
    blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
    resources = [resource for module in modules for resource in getattr(module, "RESOURCES", [])]
    routes = [route for module in modules for route in getattr(module, "EXTRA_ROUTES", [])]
    public = PUBLIC_ENDPOINTS.union(*(getattr(module, "PUBLIC_ENDPOINTS", set())
                                      for module in modules))

    @blueprint.before_request
    def require_sign_in():
        g.device = None
        if request.endpoint in public:
            return None
        authorization = request.headers.get("Authorization")
        if authorization is not None:
            # Only a device's bearer token: any other scheme is refused, never set aside in
            # favour of a session cookie the same request may carry.
            if not authorization.startswith(BEARER):
                return problem(401, _("Use a bearer token, or sign in."))
            return bearer_caller(authorization[len(BEARER):].strip())
        if getattr(g, "person", None) is None:
            return problem(401)
        if request.method not in SAFE_METHODS and not sent_by_script():
            return problem(415)
        return None

    @blueprint.before_request
    def refuse_broken_query_text():
        refuse_unstorable_query(request.args)

    @blueprint.get("/openapi.json")
    def openapi():
        # Built once per process: it describes the code, which does not change while it runs.
        if "adref_openapi" not in current_app.extensions:
            current_app.extensions["adref_openapi"] = build_openapi(
                resources, routes, _gathered(modules, "SECURITY_SCHEMES"),
                _gathered(modules, "SCHEMAS"))
        return current_app.extensions["adref_openapi"]

    for resource in resources:
        register_resource(blueprint, resource)
    for path, endpoint, view, methods, _schema in routes:
        blueprint.add_url_rule(path, endpoint, view, methods=methods)
    return blueprint
