"""The admin's pages of report clients (/admin/report-clients): the organisation's clients,
registering one (its secret shown once, on the page that answers the registration), and
revoking one after a confirmation. Only an admin, only their own organisation's clients."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from app.auth.policy import may_administer
from app.auth.views import check_csrf, page_refusal
from app.core.errors import ValidationFailed
from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.reports.clients import services
from app.reports.clients.oauth import SCOPE
from app.reports.labels import AREA_GROUP_NAMES

report_clients_blueprint = Blueprint("report_clients", __name__,
                                     url_prefix="/admin/report-clients")
report_clients_blueprint.after_request(private_page)


def _list_page(name="", chosen=(), errors=None, status=200):
    clients = services.clients_of(db.session, g.person)
    return render_template(
        "report_clients/list.html", clients=clients, name=name, chosen=set(chosen),
        groups=services.areas_by_group(db.session), group_names=AREA_GROUP_NAMES,
        errors=errors or {}, revoked=request.args.get("done") == "revoked"), status


def _client_or_404(record_id):
    return services.organisation_client(db.session, g.person, record_id)


@report_clients_blueprint.get("")
def clients_list():
    if refused := page_refusal(may_administer):
        return refused
    page = _list_page()
    db.session.commit()  # the list read, in the audit trail
    return page


@report_clients_blueprint.post("")
def register():
    check_csrf()
    if refused := page_refusal(may_administer):
        return refused
    name, chosen = request.form.get("name", ""), request.form.getlist("areas")
    try:
        registered = services.register_client(db.session, g.person, name, chosen, utcnow())
    except ValidationFailed as refusal:
        db.session.rollback()
        errors = {field: str(messages[0]) for field, messages in refusal.errors.items()}
        return _list_page(name, chosen, errors, 422)
    db.session.commit()
    return render_template("report_clients/registered.html", client=registered.client,
                           secret=registered.secret, scope=SCOPE,
                           token_url=url_for("oauth.token", _external=True),
                           api_url=url_for("api.reports_annual", _external=True))


@report_clients_blueprint.route("/<uuid:report_client_id>/revoke", methods=["GET", "POST"])
def revoke(report_client_id):
    if request.method == "POST":
        check_csrf()
    if refused := page_refusal(may_administer):
        return refused
    client = _client_or_404(report_client_id)
    if request.method == "POST":
        services.revoke_client(db.session, g.person, client.id, utcnow())
        db.session.commit()
        return redirect(url_for("report_clients.clients_list", done="revoked"))
    return render_template("report_clients/revoke.html", client=client)
