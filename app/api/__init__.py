"""The versioned JSON API, /api/v1. Each capability's collections come from its own api.py."""

from flask import Blueprint, g

from app.api.openapi import build_openapi
from app.api.problems import problem
from app.api.resources import register_resource

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# Open without signing in: the description of the API holds no one's data.
PUBLIC_ENDPOINTS = {"api.openapi"}


def capability_apis():
    from app.auth import api as auth_api
    from app.cases import api as cases_api
    from app.codelists import api as codelists_api
    from app.interviews import api as interviews_api
    from app.questionnaires import api as questionnaires_api

    return [auth_api, cases_api, codelists_api, interviews_api, questionnaires_api]


def all_resources():
    return [resource for module in capability_apis() for resource in module.RESOURCES]


def extra_routes():
    return [route for module in capability_apis() for route in getattr(module, "EXTRA_ROUTES", [])]


@api_blueprint.before_request
def require_sign_in():
    from flask import request

    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if getattr(g, "person", None) is None:
        return problem(401)
    return None


for _resource in all_resources():
    register_resource(api_blueprint, _resource)
for _path, _endpoint, _view, _methods, _schema in extra_routes():
    api_blueprint.add_url_rule(_path, _endpoint, _view, methods=_methods)


@api_blueprint.get("/openapi.json")
def openapi():
    return build_openapi(all_resources(), extra_routes())
