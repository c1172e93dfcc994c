"""Report clients: an admin registers one for their organisation (its name and the areas it may
read), sees its secret once, and revokes it; the token endpoint checks its credentials and
keeps the tokens it issues (as digests); the API finds the client a bearer token names.

Secrets and tokens are random (32 bytes and more), so a SHA-256 is enough to keep them: as
with invitations' links, nothing is to be gained by guessing, and a copy of the database holds
no usable credential."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.cases.models import Area
from app.core.errors import NotFound, ValidationFailed
from app.reports.clients.models import NAME_LENGTH, ReportClient, ReportClientArea, ReportToken

COLLECTION = "report_clients"
# Where an area's kind and country put it on the register form: Wales's first, as the service
# reports on Wales; England's for children placed from there.
COUNTRY_ORDER = ("wales", "england")
KIND_ORDER = ("local_authority", "police_force")


@dataclass
class Registered:
    client: ReportClient
    secret: str  # shown once to the admin who registered the client, never kept


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- the admin's side -------------------------------------------------------------------------

def areas_by_group(session: Session) -> list[tuple[tuple[str, str], list[Area]]]:
    """Every known area, grouped by (country, kind) in the order the form shows them."""
    areas = session.scalars(select(Area)).all()

    def place(area):
        country = COUNTRY_ORDER.index(area.country) if area.country in COUNTRY_ORDER else 99
        return (country, KIND_ORDER.index(area.kind), area.name_en)

    ordered = sorted(areas, key=place)
    return [(group, list(members))
            for group, members in groupby(ordered, key=lambda a: (a.country, a.kind))]


def clients_of(session: Session, admin: Person) -> list[ReportClient]:
    """The organisation's clients, the active first, newest first within each."""
    found = session.scalars(select(ReportClient).where(
        ReportClient.organisation_id == admin.organisation_id)).all()
    record_access(session, admin, "list", COLLECTION, None)
    return sorted(found, key=lambda c: (c.revoked_at is not None, -c.created_at.timestamp()))


def organisation_client(session: Session, admin: Person, record_id: uuid.UUID) -> ReportClient:
    """One of the admin's organisation's clients; another organisation's is not found."""
    client = session.get(ReportClient, record_id)
    if client is None or client.organisation_id != admin.organisation_id:
        raise NotFound()
    return client


def _registration_errors(session: Session, name: str, codes: set[str]) -> dict:
    errors = {}
    if not name:
        errors["name"] = [_("Enter a name for the client")]
    elif len(name) > NAME_LENGTH:
        errors["name"] = [_("The name must be %(max)d characters or fewer", max=NAME_LENGTH)]
    known = set(session.scalars(select(Area.code).where(Area.code.in_(codes)))) if codes else set()
    if not codes:
        errors["areas"] = [_("Choose at least one area the client may read")]
    elif known != codes:
        errors["areas"] = [_("Choose areas from the list")]
    return errors


def register_client(session: Session, admin: Person, name: str, area_codes, now: datetime
                    ) -> Registered:
    """A new client of the admin's organisation for these areas; its secret is returned once."""
    name, codes = " ".join(name.split()), set(area_codes)
    errors = _registration_errors(session, name, codes)
    if errors:
        raise ValidationFailed(errors)
    secret = secrets.token_urlsafe(32)
    client = ReportClient(organisation_id=admin.organisation_id, name=name,
                          client_id="adref-" + secrets.token_hex(12), secret_hash=digest(secret),
                          created_by_id=admin.id, created_at=now,
                          grants=[ReportClientArea(area_code=code) for code in sorted(codes)])
    session.add(client)
    session.flush()
    record_access(session, admin, "create", COLLECTION, client.id)
    return Registered(client, secret)


def revoke_client(session: Session, admin: Person, record_id: uuid.UUID, now: datetime
                  ) -> ReportClient:
    """No new token for the client, and its tokens stop working at once (every use checks)."""
    client = organisation_client(session, admin, record_id)
    if client.revoked_at is None:
        client.revoked_at = now
        record_access(session, admin, "revoke", COLLECTION, client.id)
    return client


# --- the token endpoint's and the API's side --------------------------------------------------

def active_client(session: Session, client_id: str) -> ReportClient | None:
    """The client these credentials name, unless revoked (a revoked client is unknown)."""
    if not client_id or len(client_id) > 64:
        return None
    return session.scalars(select(ReportClient).where(
        ReportClient.client_id == client_id, ReportClient.revoked_at.is_(None))).first()


def secret_matches(client: ReportClient, secret: str | None) -> bool:
    return bool(secret) and secrets.compare_digest(client.secret_hash, digest(secret))


def keep_token(session: Session, client: ReportClient, access_token: str, scope: str,
               now: datetime, lifetime: timedelta) -> ReportToken:
    token = ReportToken(client_id=client.id, token_hash=digest(access_token), scope=scope,
                        issued_at=now, expires_at=now + lifetime)
    session.add(token)
    session.flush()
    record_access(session, _registrant(client), "token", COLLECTION, client.id)
    return token


def token_named(session: Session, access_token: str) -> ReportToken | None:
    """The token kept for this access token, whatever its state (the caller checks)."""
    if not access_token or len(access_token) > 200:
        return None
    return session.scalars(select(ReportToken).where(
        ReportToken.token_hash == digest(access_token))).first()


def token_works(token: ReportToken | None, now: datetime) -> bool:
    return token is not None and token.expires_at > now and token.client.revoked_at is None


def areas_asked_for(client: ReportClient, asked: list[str]) -> frozenset[str]:
    """The areas a call reads: those asked for, each of which must be granted (else Forbidden,
    naming the first that is not), or every area granted when none is asked for."""
    granted = client.area_codes
    for code in asked:
        if code not in granted:
            raise AreaNotGranted(code)
    return frozenset(asked) or granted


class AreaNotGranted(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- the trail --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _OnBehalfOf:
    """The trail names a person for every event: a client's events are under the admin who
    registered it, with the client as the record (record_id), so that each can be traced."""

    id: uuid.UUID
    organisation_id: uuid.UUID


def _registrant(client: ReportClient) -> _OnBehalfOf:
    return _OnBehalfOf(client.created_by_id, client.organisation_id)


def record_report_read(session: Session, client: ReportClient, period_text: str,
                       areas: frozenset[str], detail_length: int = 80) -> None:
    """A client's read of the figures, in the trail: the period and every area read (codes
    only), split over as many events as the trail's short detail needs."""
    details, current = [], period_text
    for code in sorted(areas):
        if len(current) + 1 + len(code) > detail_length:
            details.append(current)
            current = period_text
        current += ("," if current != period_text else " ") + code
    details.append(current)
    for detail in details:
        record_access(session, _registrant(client), "api-report", COLLECTION, client.id,
                      detail=detail)


def new_access_token() -> str:
    return secrets.token_urlsafe(32)
