"""Short-lived signed access tokens for devices (JWT, HS256, via joserfc from the Authlib
authors), and random refresh tokens kept only as hashes."""

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
_ALGORITHM = {"alg": "HS256"}


class InvalidToken(Exception):
    pass


def _signing_key(secret_key: str) -> OctKey:
    # A key of its own, derived from the app's secret, so a session cookie key is never a JWT key.
    derived = hmac.new(secret_key.encode(), b"adref device access token", hashlib.sha256)
    return OctKey.import_key(derived.digest())


def issue_access_token(secret_key: str, person_id: uuid.UUID, device_id: uuid.UUID,
                       now: datetime) -> str:
    claims = {
        "sub": str(person_id),
        "dev": str(device_id),
        "iat": int(now.timestamp()),
        "exp": int((now + ACCESS_TOKEN_LIFETIME).timestamp()),
    }
    return jwt.encode(_ALGORITHM, claims, _signing_key(secret_key))


def read_access_token(secret_key: str, token: str, now: datetime) -> tuple[uuid.UUID, uuid.UUID]:
    """The person and device a valid, unexpired token names; InvalidToken otherwise."""
    try:
        claims = jwt.decode(token, _signing_key(secret_key), algorithms=["HS256"]).claims
        jwt.JWTClaimsRegistry(now=int(now.timestamp()), exp={"essential": True},
                              sub={"essential": True}).validate(claims)
        return uuid.UUID(claims["sub"]), uuid.UUID(claims["dev"])
    except (JoseError, KeyError, ValueError) as error:
        raise InvalidToken(str(error)) from error


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
