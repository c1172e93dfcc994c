"""An admin's settings for their organisation's OpenID Connect provider: the form read and
checked (the issuer by fetching its discovery document), then saved."""

import re
import uuid
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person, Role
from app.auth.oidc.models import IdentityProvider, IdentityProviderDomain, IdentityProviderGroup
from app.auth.oidc.services import (
    ProviderUnavailable,
    discover,
    forget_cached_documents,
    seal_client_secret,
)

DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
CLAIM_NAME = re.compile(r"[A-Za-z0-9_:./-]{1,100}")
# A role as the admin writes it: its code, or its name in English or Welsh (as the page shows it).
ROLE_NAMES = {role.value: role for role in Role} | {
    "administrator": Role.ADMIN, "gweithiwr": Role.WORKER, "goruchwyliwr": Role.SUPERVISOR,
    "gweinyddwr": Role.ADMIN, "comisiynydd": Role.COMMISSIONER}
MAX_AGE_MINUTES = 24 * 60


@dataclass
class ProviderSettings:
    """What an admin sets for their organisation's provider, once checked."""

    issuer: str = ""
    client_id: str = ""
    client_secret: str | None = None  # None: keep the one already set
    domains: dict[str, Role | None] = field(default_factory=dict)
    groups_claim: str = "groups"
    groups: dict[str, Role] = field(default_factory=dict)
    prompt_login: bool = False
    max_age: int | None = None


def form_values(provider: IdentityProvider | None, role_label) -> dict:
    """The form's fields as the provider is set now (never its secret), roles named by
    role_label in the reader's language."""
    if provider is None:
        return {"issuer": "", "client_id": "", "domains": "", "groups_claim": "groups",
                "groups": "", "prompt_login": False, "max_age": ""}
    return {
        "issuer": provider.issuer, "client_id": provider.client_id,
        "domains": "\n".join(d.domain + (f" = {role_label(d.default_role)}" if d.default_role else "")
                             for d in provider.domains),
        "groups_claim": provider.groups_claim,
        "groups": "\n".join(f"{g.group_name} = {role_label(g.role)}" for g in provider.groups),
        "prompt_login": provider.prompt_login,
        "max_age": "" if provider.max_age is None else str(provider.max_age // 60),
    }


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _issuer_error(issuer: str) -> str | None:
    if not issuer:
        return _("Enter the address of your organisation's sign-in service")
    parts = urlsplit(issuer)
    # Plain http only on this machine itself (a provider for testing): anywhere else the
    # tokens would cross the network readable.
    secure = parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname or ""))
    if not secure or not parts.hostname or parts.query or parts.fragment or len(issuer) > 500:
        return _("Enter the address of the sign-in service as it starts, like %(example)s",
                 example="https://login.example.org")
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _role(name: str) -> Role | None:
    return ROLE_NAMES.get(name.strip().lower())


def _read_domains(session: Session, text: str, organisation_id: uuid.UUID,
                  errors: dict) -> dict[str, Role | None]:
    domains: dict[str, Role | None] = {}
    for line in _lines(text):
        # A group may hold "=" (cn=staff,ou=people), a domain never: the role is after the last.
        name, equals, role_name = line.rpartition("=") if "=" in line else (line, "", "")
        name = name.strip().lower().lstrip("@")
        role = _role(role_name) if equals else None
        if not DOMAIN.fullmatch(name) or (equals and role is None):
            errors["domains"] = _("Write one email domain a line, like %(domain)s, or with a "
                                  "role after an equals sign, like %(with_role)s",
                                  domain="example.org", with_role="example.org = worker")
            return {}
        domains[name] = role
    if not domains and "domains" not in errors:
        errors["domains"] = _("Enter the email domains whose people sign in here")
    taken = session.scalars(select(IdentityProviderDomain.domain)
                            .join(IdentityProvider,
                                  IdentityProvider.id == IdentityProviderDomain.provider_id)
                            .where(IdentityProviderDomain.domain.in_(list(domains)),
                                   IdentityProvider.organisation_id != organisation_id)).all()
    if taken:
        errors["domains"] = _("Another organisation signs in with %(domain)s already",
                              domain=sorted(taken)[0])
    return domains


def _read_groups(text: str, errors: dict) -> dict[str, Role]:
    groups: dict[str, Role] = {}
    for line in _lines(text):
        name, equals, role_name = line.rpartition("=")
        role = _role(role_name)
        if not equals or not name.strip() or len(name.strip()) > 255 or role is None:
            errors["groups"] = _("Write one group a line with its role after an equals sign, "
                                 "like %(example)s", example="adref-supervisors = supervisor")
            return {}
        groups[name.strip()] = role
    return groups


def _read_max_age(text: str, errors: dict) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_AGE_MINUTES:
        errors["max_age"] = _("Enter a whole number of minutes from 1 to %(most)d, or leave it "
                              "empty", most=MAX_AGE_MINUTES)
        return None
    return int(text) * 60


def read_settings(session: Session, form, organisation_id: uuid.UUID,
                  secret_kept: bool) -> tuple[ProviderSettings, dict]:
    """The settings the form holds, and the problems with them by field (none: ready to save).
    secret_kept: a client secret is set and can be opened, so the form may leave it empty.
    The issuer is checked last, by reading its discovery document, and kept as it names
    itself there."""
    errors: dict[str, str] = {}
    settings = ProviderSettings(
        issuer=form.get("issuer", "").strip(), client_id=form.get("client_id", "").strip(),
        client_secret=form.get("client_secret", "").strip() or None,
        groups_claim=form.get("groups_claim", "").strip() or "groups",
        prompt_login=form.get("prompt_login") == "yes")
    issuer_error = _issuer_error(settings.issuer)
    if issuer_error:
        errors["issuer"] = issuer_error
    if not settings.client_id or len(settings.client_id) > 255:
        errors["client_id"] = _("Enter the client ID your sign-in service gave Adref")
    if (settings.client_secret is None and not secret_kept) or len(settings.client_secret or "") > 255:
        errors["client_secret"] = _("Enter the client secret your sign-in service gave Adref")
    settings.domains = _read_domains(session, form.get("domains", ""), organisation_id, errors)
    if not CLAIM_NAME.fullmatch(settings.groups_claim):
        errors["groups_claim"] = _("Enter the name of the claim that lists a person's groups, "
                                   "like %(example)s", example="groups")
    settings.groups = _read_groups(form.get("groups", ""), errors)
    settings.max_age = _read_max_age(form.get("max_age", ""), errors)
    if "issuer" not in errors:
        try:
            settings.issuer = discover(settings.issuer, fresh=True)["issuer"]
        except ProviderUnavailable:
            errors["issuer"] = _("Adref could not read the sign-in service's settings at this "
                                 "address. Check the address, and that the service is running.")
    return settings, errors


def save_settings(session: Session, server_secret: str, admin: Person,
                  provider: IdentityProvider | None, settings: ProviderSettings) -> IdentityProvider:
    """Sets the admin's organisation's provider to these settings (the client secret sealed),
    audited."""
    created = provider is None
    if provider is None:
        provider = IdentityProvider(organisation_id=admin.organisation_id)
        session.add(provider)
    provider.issuer = settings.issuer
    provider.client_id = settings.client_id
    if settings.client_secret is not None:
        provider.client_secret = seal_client_secret(server_secret, settings.client_secret)
    provider.groups_claim = settings.groups_claim
    provider.prompt_login = settings.prompt_login
    provider.max_age = settings.max_age
    # The lists are replaced whole: flushed empty first, so that a domain kept is not a
    # duplicate of itself in the same flush.
    provider.domains = []
    provider.groups = []
    session.flush()
    provider.domains = [IdentityProviderDomain(domain=domain, default_role=role)
                        for domain, role in settings.domains.items()]
    provider.groups = [IdentityProviderGroup(group_name=name, role=role)
                       for name, role in settings.groups.items()]
    session.flush()
    record_access(session, admin, "create" if created else "update", "identity_providers",
                  provider.id)
    forget_cached_documents()
    return provider


def people_without_password(session: Session, organisation_id: uuid.UUID) -> int:
    """The organisation's active people who sign in only through its provider (none has a
    password here): what removing the provider leaves without a way in."""
    return session.scalar(select(func.count()).select_from(Person).where(
        Person.organisation_id == organisation_id, Person.active,
        Person.password_hash.is_(None))) or 0


def remove_provider(session: Session, admin: Person, provider: IdentityProvider) -> None:
    """The organisation signs in with Adref's own accounts again. Its people keep their accounts
    and everything they did; those with no password here need an invitation to set one (the
    admin's people pages). A sign-in under way through the provider is refused at its return."""
    session.delete(provider)
    session.flush()
    record_access(session, admin, "delete", "identity_providers", provider.id)
    forget_cached_documents()
