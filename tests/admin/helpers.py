"""Steps the admin tests share: a form posted as the browser would (with the page's CSRF token),
the audit trail's rows, and a person read afresh."""

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Person


def csrf_of(client, page: str = "/sign-in?lang=en&another=1") -> str:
    text = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def post_form(client, url: str, data: dict | None = None, page: str | None = None):
    """POSTs the form with a CSRF token read off a page this client may open."""
    token = csrf_of(client, page or "/sign-in?lang=en&another=1")
    return client.post(url, data={"csrf_token": token, **(data or {})})


def audited(session, collection: str, record_id=None) -> list[tuple]:
    """(action, who) of the audit events of a collection (and record), oldest first, but for
    people signing themselves in and out (and their second factor)."""
    session.expire_all()
    stmt = select(AuditEvent.action, AuditEvent.person_id).where(
        AuditEvent.collection == collection, AuditEvent.action.not_like("sign-%"),
        AuditEvent.action.not_like("2fa-%")).order_by(AuditEvent.id)
    if record_id is not None:
        stmt = stmt.where(AuditEvent.record_id == record_id)
    return [tuple(row) for row in session.execute(stmt)]


def fresh(session, person) -> Person:
    session.expire_all()
    return session.get(Person, person.id)


def link_token(text: str) -> str:
    """The token of the one-time link a page shows."""
    return re.search(r"/invitations/([A-Za-z0-9_-]+)", text).group(1)


def hand_in_sealed(app, tablet, organisation_id, upload_secret: str, mutations: list[dict]):
    """What a wiped tablet does at its next contact: hands in its sealed copies of unsent
    changes, with its upload secret and no token (PROTOCOL.md)."""
    from app.syncing.sealing import seal
    from tests.api.helpers import API

    items = [{"mutation_id": m["mutation_id"],
              "sealed": seal(app.instance_path, m, organisation_id, tablet.id)}
             for m in mutations]
    return app.test_client().post(f"{API}/sync/devices/{tablet.id}/sealed",
                                  json={"secret": upload_secret, "items": items})
