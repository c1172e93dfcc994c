"""The Adref Flask application."""

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/adref.cfg, then ADREF_* and DATABASE_URL, then `config`."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder="../static", static_url_path="/static")
    from app.core.json_responses import OrjsonResponses
    app.json = OrjsonResponses(app)

    from app.config import configure
    configure(app, config)

    from sqlalchemy.orm import configure_mappers

    from app.core import database  # noqa: F401  (registers the SQLite connection settings)
    from app.core.types import json_text, json_value
    from app.extensions import babel, compress, db, migrate
    from app.i18n import init_i18n
    from app.models import import_all_models

    import_all_models()
    from app.syncing.collections import register_from
    # Each capability that syncs records or reference data declares them in its sync.py; the
    # limits a tablet checks are read off those records' collections.
    register_from("app.codelists.sync", "app.cases.sync", "app.questionnaires.sync",
                  "app.interviews.sync", "app.youngperson.sync", "app.intelligence.sync",
                  "app.directory.sync", "app.referrals.sync", "app.review.sync",
                  "app.syncing.limits",
                  "app.syncing.sealing")
    # Relationships between the models are resolved now rather than by the first query: a
    # mistake in them stops the start, and the first request after a start (a tablet's sync,
    # say) does not wait tens of milliseconds for it.
    configure_mappers()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_serializer": json_text, "json_deserializer": json_value,
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    compress.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"),
                     render_as_batch=True)
    init_i18n(app, babel)

    from app.admin.views import admin_blueprint, invitations_blueprint
    from app.api import api_blueprint
    from app.api.problems import register_problem_handlers
    from app.audit_search.views import audit_search_blueprint
    from app.auth import api as auth_api
    from app.auth.oidc.views import oidc_blueprint
    from app.auth.second_factor.views import second_factor_blueprint
    from app.auth.views import auth_blueprint
    from app.board.views import board_blueprint
    from app.cases import api as cases_api
    from app.codelists import api as codelists_api
    from app.intake.views import intake_blueprint
    from app.intelligence import api as intelligence_api
    from app.intelligence.views import intelligence_blueprint
    from app.interviews import api as interviews_api
    from app.pages.views import html_error_page, pages_blueprint
    from app.pwa.views import pwa_blueprint
    from app.questionnaires import api as questionnaires_api
    from app.referrals import api as referrals_api
    from app.referrals.views import referrals_blueprint, repeat_policies_blueprint
    from app.reports.clients import api as report_clients_api
    from app.reports.clients.oauth import oauth_blueprint
    from app.reports.clients.views import report_clients_blueprint
    from app.reports.views import open_data_blueprint, report_areas_blueprint, reports_blueprint
    from app.review.views import review_blueprint
    from app.sharing.views import sharing_blueprint
    from app.syncing import api as syncing_api
    from app.youngperson import api as youngperson_api

    app.register_blueprint(pages_blueprint)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(oidc_blueprint)
    app.register_blueprint(second_factor_blueprint)
    # The API's generic parts know no capability: each capability's api module is named here.
    app.register_blueprint(api_blueprint(
        [auth_api, cases_api, codelists_api, interviews_api, intelligence_api,
         questionnaires_api, referrals_api, report_clients_api, syncing_api, youngperson_api],
        bearer_caller=auth_api.device_token_caller))
    app.register_blueprint(pwa_blueprint)
    app.register_blueprint(review_blueprint)
    app.register_blueprint(board_blueprint)
    app.register_blueprint(intelligence_blueprint)
    app.register_blueprint(reports_blueprint)
    app.register_blueprint(open_data_blueprint)
    app.register_blueprint(report_areas_blueprint)
    app.register_blueprint(referrals_blueprint)
    app.register_blueprint(repeat_policies_blueprint)
    app.register_blueprint(sharing_blueprint)
    app.register_blueprint(admin_blueprint)
    app.register_blueprint(invitations_blueprint)
    app.register_blueprint(intake_blueprint)
    app.register_blueprint(audit_search_blueprint)
    app.register_blueprint(report_clients_blueprint)
    app.register_blueprint(oauth_blueprint())
    register_problem_handlers(app, html_error_page)
    _answer_safely(app)
    _audit_addresses()

    from app.cli import register_commands
    register_commands(app)
    return app


def _answer_safely(app: Flask) -> None:
    """Every response, of every blueprint, error handler and static file, with the headers of
    app/core/headers.py: read here, at the composition root, from the request and the person
    signed in, and handed on as plain values."""
    from flask import g, request

    from app.core.headers import safe_by_default

    @app.after_request
    def safe_headers(response):
        private = request.path.startswith("/api/") or (
            g.get("person") is not None and request.endpoint != "static")
        return safe_by_default(response, secure=request.is_secure, private=private)


def _audit_addresses() -> None:
    """The audit trail records where each event came from: the network address of the request
    (as ProxyFix resolved it, behind trusted proxies), read here at the HTTP edge and handed to
    app.audit, which knows nothing of Flask."""
    from flask import has_request_context, request

    from app.audit.chain import read_addresses_with

    read_addresses_with(lambda: request.remote_addr if has_request_context() else None)
