"""Inviting a person: their account (active at once, with no password until they set one) and
a one-time link, kept only as its SHA-256, usable for INVITATION_LIFETIME and once.

An organisation that signs in through its own OpenID provider needs no password: its people's
invitation says so, and they sign in with their organisation's account."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.models import Invitation
from app.admin.people import organisation_team, spend_invitations, team_errors
from app.audit.services import record_access
from app.auth.models import Organisation, Person, Role, Team
from app.auth.oidc.services import provider_of
from app.auth.passwords import hash_password
from app.core.errors import ValidationFailed

INVITATION_LIFETIME = timedelta(days=7)
PASSWORD_MIN_LENGTH = 12
# Argon2 hashes any length, but a megabyte of password is no password: refused before hashing.
PASSWORD_MAX_LENGTH = 1024
EMAIL_LENGTH = 320
NAME_LENGTH = 200


@dataclass
class Issued:
    person: Person
    invitation: Invitation
    token: str  # shown once, to the admin or on the command line, and never kept


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signs_in_with_provider(session: Session, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation has its own OpenID provider, so that its people need no
    password."""
    return provider_of(session, organisation_id) is not None


def _email_errors(session: Session, email: str) -> list:
    if not email:
        return [_("Enter their email address")]
    if len(email) > EMAIL_LENGTH or "@" not in email.strip("@") or any(c.isspace() for c in email):
        return [_("Enter a full email address, with an @ sign.")]
    # Addresses are unique across every organisation: each person signs in with theirs.
    if session.scalar(select(Person.id).where(func.lower(Person.email) == email.lower())):
        return [_("Someone already has an account with this email address")]
    return []


def _person_errors(session: Session, email: str, name: str, role, team: Team | None,
                   language: str | None) -> dict:
    errors = {}
    if found := _email_errors(session, email):
        errors["email"] = found
    if not name:
        errors["name"] = [_("Enter their name")]
    elif len(name) > NAME_LENGTH:
        errors["name"] = [_("The name must be %(max)d characters or fewer", max=NAME_LENGTH)]
    if role is None:
        errors["role"] = [_("Choose their role")]
    else:
        errors.update(team_errors(role, team))
    if language not in ("cy", "en"):
        errors["language"] = [_("Choose the language of their invitation")]
    return errors


def issue_invitation(session: Session, person: Person, invited_by: Person | None,
                     now: datetime) -> Issued:
    """A new link for the person; any earlier one is spent."""
    spend_invitations(session, person.id, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(organisation_id=person.organisation_id, person_id=person.id, created_at=now,
                            invited_by_id=invited_by.id if invited_by else None,
                            token_hash=token_digest(token), expires_at=now + INVITATION_LIFETIME)
    session.add(invitation)
    session.flush()
    record_access(session, invited_by or person, "invite", "invitations", invitation.id)
    return Issued(person, invitation, token)


def add_invited_person(session: Session, organisation: Organisation, invited_by: Person | None,
                       email: str, name: str, role: Role | None, team: Team | None,
                       language: str | None, now: datetime) -> Issued:
    email, name = email.strip(), " ".join(name.split())
    errors = _person_errors(session, email, name, role, team, language)
    if errors:
        raise ValidationFailed(errors)
    person = Person(organisation_id=organisation.id, team_id=team.id if team else None,
                    role=role, display_name=name, email=email, preferred_language=language,
                    password_hash=None, active=True)
    session.add(person)
    session.flush()
    if invited_by is not None:
        record_access(session, invited_by, "invite", "people", person.id)
    return issue_invitation(session, person, invited_by, now)


def invite(session: Session, admin: Person, email: str, name: str, role: str,
           team_id: uuid.UUID | None, language: str | None, now: datetime) -> Issued:
    """An admin invites a person to their own organisation."""
    team = organisation_team(session, admin, team_id)
    organisation = session.get(Organisation, admin.organisation_id)
    return add_invited_person(session, organisation, admin, email, name,
                              Role(role) if role in set(Role) else None, team, language, now)


def reinvite(session: Session, admin: Person, person: Person, now: datetime) -> Issued:
    if not person.active:
        raise ValidationFailed({"invite": [_("Reactivate the account before inviting them "
                                             "again.")]})
    return issue_invitation(session, person, admin, now)


def find_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation this link is for, usable or not; None for a link we never made."""
    if not token or len(token) > 100:
        return None
    return session.scalars(select(Invitation).where(
        Invitation.token_hash == token_digest(token))).first()


def usable(invitation: Invitation | None, now: datetime) -> bool:
    return (invitation is not None and invitation.spent_at is None
            and invitation.expires_at > now and invitation.person.active)


def password_errors(password: str, confirmation: str) -> dict:
    if len(password) < PASSWORD_MIN_LENGTH:
        return {"password": [_("Your password must be at least %(min)d characters long",
                               min=PASSWORD_MIN_LENGTH)]}
    if len(password) > PASSWORD_MAX_LENGTH:
        return {"password": [_("Your password must be %(max)d characters or fewer",
                               max=PASSWORD_MAX_LENGTH)]}
    if password != confirmation:
        return {"confirmation": [_("The two passwords are not the same")]}
    return {}


def accept(session: Session, token: str, password: str | None, confirmation: str | None,
           now: datetime) -> Person:
    """Spends the invitation, setting the person's password (none when their organisation's
    provider signs them in). Locked, so that one link used twice at once sets one password."""
    invitation = session.scalars(select(Invitation).where(
        Invitation.token_hash == token_digest(token)).with_for_update()).first()
    if not usable(invitation, now):
        raise ValidationFailed({"token": [_("This invitation link cannot be used")]})
    person = invitation.person
    if password is not None:
        errors = password_errors(password, confirmation or "")
        if errors:
            raise ValidationFailed(errors)
        person.password_hash = hash_password(password)
    invitation.spent_at = now
    record_access(session, person, "accept", "invitations", invitation.id)
    return person
