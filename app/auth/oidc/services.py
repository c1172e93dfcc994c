"""Sign-in through an organisation's own OpenID Connect provider: the authorization code flow
with PKCE (S256), state and nonce, found by discovery; the ID token checked against the
provider's keys; the provider's person mapped to one of ours, and their groups to a role.

Plain arguments and a SQLAlchemy session: no request here. The views keep the pending sign-in
(state, nonce, code verifier) in Flask's signed session between the two halves.
"""

import base64
import logging
import secrets
import threading
import time
import uuid
from datetime import datetime

import requests
from authlib.integrations.requests_client import OAuth2Session
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person, Role
from app.auth.oidc.models import IdentityProvider, IdentityProviderDomain

log = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
# Discovery documents and key sets change rarely; a few minutes' copy spares every sign-in two
# round trips. A key the copy lacks (the provider rotated its keys) fetches the set again.
CACHE_SECONDS = 300
# A sign-in begun and not finished within this time is refused: the person starts again.
PENDING_SECONDS = 600
FETCH_TIMEOUT_SECONDS = 5
# Clocks differ a little between us and the provider.
LEEWAY_SECONDS = 60
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                      "ES512", "EdDSA"]
# "The highest mapped role": a commissioner sees least, an admin most.
ROLE_RANK = {Role.COMMISSIONER: 0, Role.WORKER: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


class ProviderUnavailable(Exception):
    """The provider's discovery document or keys could not be read."""


class SignInRefused(Exception):
    """A sign-in through the provider that does not go ahead. `reason` is a short code (never
    personal data) that the views turn into words and the log keeps; `person` is whom it was,
    when we know."""

    def __init__(self, reason: str, person: Person | None = None):
        super().__init__(reason)
        self.reason = reason
        self.person = person


# --- the client secret, sealed ------------------------------------------------------------------

def _sealer(server_secret: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None,
               info=b"adref identity provider client secret").derive(server_secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_client_secret(server_secret: str, client_secret: str) -> str:
    return _sealer(server_secret).encrypt(client_secret.encode()).decode()


def open_client_secret(server_secret: str, sealed: str) -> str | None:
    """The client secret; None when it cannot be opened (the server's secret has changed since
    it was set: the admin sets it again)."""
    try:
        return _sealer(server_secret).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


# --- discovery and keys, cached -------------------------------------------------------------------

_cache: dict[str, tuple[float, dict]] = {}
_cache_lock = threading.Lock()


def _fetch_json(url: str, fresh: bool = False) -> dict:
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(url)
    if cached is not None and not fresh and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS,
                                headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(url) from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(url)
    with _cache_lock:
        _cache[url] = (now, document)
    return document


def forget_cached_documents() -> None:
    with _cache_lock:
        _cache.clear()


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_PATH


def discover(issuer: str, fresh: bool = False) -> dict:
    """The provider's discovery document, checked: it names this issuer and the endpoints the
    flow needs."""
    document = _fetch_json(discovery_url(issuer), fresh=fresh)
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if (any(not isinstance(document.get(name), str) for name in needed)
            or document["issuer"].rstrip("/") != issuer.rstrip("/")):
        raise ProviderUnavailable(issuer)
    return document


# --- which provider an e-mail address uses --------------------------------------------------------

def email_domain(email: str) -> str:
    return email.strip().rpartition("@")[2].lower()


def provider_for_email(session: Session, email: str) -> IdentityProvider | None:
    domain = email_domain(email)
    if "@" not in email or not domain:
        return None
    found = session.get(IdentityProviderDomain, domain)
    return None if found is None else session.get(IdentityProvider, found.provider_id)


def provider_of(session: Session, organisation_id: uuid.UUID) -> IdentityProvider | None:
    return session.scalars(select(IdentityProvider).where(
        IdentityProvider.organisation_id == organisation_id)).one_or_none()


# --- the first half: off to the provider ---------------------------------------------------------

def _scope(document: dict) -> str:
    # Most providers put groups in the token only when asked for the scope; ask where it exists.
    scope = "openid email profile"
    if "groups" in (document.get("scopes_supported") or []):
        scope += " groups"
    return scope


def begin_sign_in(provider: IdentityProvider, redirect_uri: str, email: str,
                  next_page: str | None, now: datetime) -> tuple[str, dict]:
    """The provider's authorization URL to send the browser to, and the pending sign-in to keep
    (signed, in the browser's session) until it comes back."""
    document = discover(provider.issuer)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    extra = {"nonce": nonce, "login_hint": email}
    if provider.prompt_login:
        extra["prompt"] = "login"
    if provider.max_age is not None:
        extra["max_age"] = str(provider.max_age)
    client = OAuth2Session(provider.client_id, scope=_scope(document), redirect_uri=redirect_uri,
                           code_challenge_method="S256")
    url, _state = client.create_authorization_url(document["authorization_endpoint"], state=state,
                                                  code_verifier=code_verifier, **extra)
    pending = {"state": state, "nonce": nonce, "code_verifier": code_verifier,
               "provider_id": str(provider.id), "next": next_page,
               "started_at": int(now.timestamp())}
    return url, pending


def pending_is_current(pending: dict | None, now: datetime) -> bool:
    return (isinstance(pending, dict) and isinstance(pending.get("started_at"), int)
            and 0 <= now.timestamp() - pending["started_at"] <= PENDING_SECONDS)


# --- the second half: back from the provider -----------------------------------------------------

def finish_sign_in(session: Session, server_secret: str, pending: dict | None, answer: dict,
                   redirect_uri: str, now: datetime) -> tuple[Person, IdentityProvider]:
    """The person the provider's answer signs in (audited), or SignInRefused."""
    if not isinstance(pending, dict) or not pending.get("state"):
        raise SignInRefused("not_started")
    # The provider's "no" carries nothing to trust or steal: told as it is, state or none
    # (some providers leave state off an error).
    if answer.get("error"):
        raise SignInRefused("provider_error")
    if not secrets.compare_digest(str(answer.get("state", "")), pending["state"]):
        raise SignInRefused("wrong_state")
    if not pending_is_current(pending, now):
        raise SignInRefused("expired")
    provider = session.get(IdentityProvider, uuid.UUID(pending["provider_id"]))
    if provider is None:
        raise SignInRefused("not_started")
    if not answer.get("code"):
        raise SignInRefused("wrong_state")
    try:
        document = discover(provider.issuer)
        id_token = _id_token(provider, open_client_secret(server_secret, provider.client_secret),
                             document, answer["code"], pending, redirect_uri)
        claims = _checked_claims(provider, document, id_token, pending, now)
    except ProviderUnavailable as error:
        raise SignInRefused("unavailable") from error
    # The sign-in itself is recorded where every session starts (app.auth.views.complete_sign_in).
    return _person_for(session, provider, claims), provider


def _id_token(provider: IdentityProvider, client_secret: str | None, document: dict, code: str,
              pending: dict, redirect_uri: str) -> str:
    if client_secret is None:
        log.warning("the client secret of provider %s cannot be opened: set it again", provider.id)
        raise SignInRefused("exchange_failed")
    client = OAuth2Session(provider.client_id, client_secret, redirect_uri=redirect_uri,
                           code_challenge_method="S256", default_timeout=FETCH_TIMEOUT_SECONDS)
    try:
        token = client.fetch_token(document["token_endpoint"], code=code,
                                   code_verifier=pending["code_verifier"],
                                   grant_type="authorization_code")
    except Exception as error:  # any failure of the exchange is the same refusal
        log.info("token exchange with provider %s failed: %s", provider.id, type(error).__name__)
        raise SignInRefused("exchange_failed") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInRefused("bad_token")
    return id_token


def _decoded(id_token: str, jwks_uri: str):
    for fresh in (False, True):
        keys = KeySet.import_key_set(_fetch_json(jwks_uri, fresh=fresh))
        try:
            return jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
        except (JoseError, ValueError) as error:
            # A key we have not seen: the provider may have rotated its keys since our copy.
            if fresh:
                raise SignInRefused("bad_token") from error
    raise SignInRefused("bad_token")


def _checked_claims(provider: IdentityProvider, document: dict, id_token: str, pending: dict,
                    now: datetime) -> dict:
    """The ID token's claims once its signature (by the provider's published keys), issuer,
    audience, expiry, nonce and, for shared devices, the time of the sign-in are right."""
    token = _decoded(id_token, document["jwks_uri"])
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()), leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": document["issuer"]},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True}, sub={"essential": True},
        nonce={"essential": True, "value": pending["nonce"]})
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise SignInRefused("bad_token") from error
    claims = token.claims
    auth_time = claims.get("auth_time")
    if auth_time is not None and not isinstance(auth_time, int | float):
        raise SignInRefused("bad_token")
    if provider.max_age is not None and (
            auth_time is None or now.timestamp() - auth_time > provider.max_age + LEEWAY_SECONDS):
        raise SignInRefused("too_old")
    # Asked to sign in afresh: a sign-in from before we asked is someone else's left behind.
    if provider.prompt_login and auth_time is not None and (
            auth_time < pending["started_at"] - LEEWAY_SECONDS):
        raise SignInRefused("too_old")
    return claims


# --- the provider's person, ours -----------------------------------------------------------------

def mapped_role(provider: IdentityProvider, claims: dict, email: str) -> Role | None:
    """The highest role the person's groups map to; else their e-mail domain's default; else
    none."""
    groups = claims.get(provider.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    wanted = {str(group) for group in groups if isinstance(group, str | int)}
    roles = [mapping.role for mapping in provider.groups if mapping.group_name in wanted]
    if roles:
        return max(roles, key=ROLE_RANK.__getitem__)
    domain = next((d for d in provider.domains if d.domain == email_domain(email)), None)
    return None if domain is None else domain.default_role


def _person_for(session: Session, provider: IdentityProvider, claims: dict) -> Person:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        raise SignInRefused("no_email")
    email = email.strip().lower()
    subject = str(claims["sub"])
    person = session.scalars(select(Person).where(
        Person.oidc_issuer == provider.issuer, Person.oidc_subject == subject)).one_or_none()
    if person is None:
        person = session.scalars(select(Person).where(
            func.lower(Person.email) == email)).one_or_none()
        if person is not None and person.oidc_subject is not None:
            # Already someone else at the provider: an e-mail address is not enough.
            raise SignInRefused("someone_else", person)
    if person is not None and person.organisation_id != provider.organisation_id:
        raise SignInRefused("someone_else")
    role = mapped_role(provider, claims, email)
    if person is not None:
        return _signed_in_as(session, provider, person, subject, email, role)
    if role is None:
        raise SignInRefused("no_role")
    if email_domain(email) not in {d.domain for d in provider.domains}:
        # A provider makes accounts only for the addresses its organisation said it serves.
        raise SignInRefused("wrong_domain")
    return _new_person(session, provider, claims, subject, email, role)


def _signed_in_as(session: Session, provider: IdentityProvider, person: Person, subject: str,
                  email: str, role: Role | None) -> Person:
    if not person.active:
        raise SignInRefused("deactivated", person)
    if role is None:
        raise SignInRefused("no_role", person)
    person.oidc_issuer, person.oidc_subject = provider.issuer, subject
    # The provider's groups decide the role of its people, today's as well as the first.
    person.role = role
    if person.email.lower() != email and session.scalars(select(Person.id).where(
            func.lower(Person.email) == email)).first() is None:
        person.email = email  # changed at the provider: the (issuer, subject) found them
    return person


def _new_person(session: Session, provider: IdentityProvider, claims: dict, subject: str,
                email: str, role: Role) -> Person:
    """A person made as they first sign in, with no team: an admin gives them one."""
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        name = email.partition("@")[0]
    person = Person(organisation_id=provider.organisation_id, team_id=None, email=email,
                    display_name=name.strip()[:200], role=role, oidc_issuer=provider.issuer,
                    oidc_subject=subject)
    session.add(person)
    session.flush()
    return person


def record_refusal(session: Session, refusal: SignInRefused, provider_id: str | None) -> None:
    """A refused sign-in: in the audit trail when we know whose it was, else only the log (its
    reason code and the provider, never an address)."""
    if refusal.person is not None:
        record_access(session, refusal.person, "sign-in-failed", "identity_providers",
                      uuid.UUID(provider_id) if provider_id else None)
    log.info("sign-in through provider %s refused: %s", provider_id, refusal.reason)
