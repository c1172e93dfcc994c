"""The server's sealing key: tablets seal a copy of each change with its public half, so that a
wipe never loses unsent work and only this server can open what survives it.

One P-256 key pair for the server, made once and kept in instance/ (the private half never
leaves it, and never enters the repository). A sealed copy binds the organisation and the device
as associated data, so a copy cannot be moved to another organisation's quarantine or another
device's. Each copy: an ephemeral ECDH P-256 key, HKDF-SHA-256 of the shared secret (salted with
the ephemeral public key), AES-256-GCM; the same as static/app/sealing.js does in WebCrypto.
"""

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from marshmallow import Schema, fields

from app.syncing.collections import ReferencePart

KEY_FILE = "sealing_key.pem"
INFO = b"adref-sealed-v1"
_keys: dict[str, ec.EllipticCurvePrivateKey] = {}


class CannotOpen(ValueError):
    """Not a sealed copy of this server, this organisation and this device, or changed."""


def server_key(instance_path: str) -> ec.EllipticCurvePrivateKey:
    """The key pair kept in instance/, made the first time it is asked for."""
    if instance_path not in _keys:
        path = Path(instance_path) / KEY_FILE
        if not path.exists():
            _make_key_file(path)
        _keys[instance_path] = serialization.load_pem_private_key(path.read_bytes(), None)
    return _keys[instance_path]


def _make_key_file(path: Path) -> None:
    """Written aside, then linked into place, which fails if the file is there: of two
    processes starting at once, one key wins and both read it (a key that lost, once sent to a
    tablet, would seal copies that nothing can open)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    aside = path.with_name(f"{KEY_FILE}.{os.getpid()}.{os.urandom(4).hex()}")
    with os.fdopen(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as file:
        file.write(pem)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise CannotOpen("not text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error) as error:
        raise CannotOpen("not base64url") from error


def public_key(instance_path: str) -> str:
    """The public half as an uncompressed point, base64url (WebCrypto imports it as "raw")."""
    return b64url(server_key(instance_path).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


def associated_data(organisation_id, device_id) -> bytes:
    return f"{INFO.decode()}:{organisation_id}:{device_id}".encode("ascii")


def _content_key(private: ec.EllipticCurvePrivateKey, ephemeral: bytes) -> bytes:
    try:
        theirs = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ephemeral)
    except ValueError as error:
        raise CannotOpen("not a P-256 point") from error
    shared = private.exchange(ec.ECDH(), theirs)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral, info=INFO).derive(shared)


def open_sealed(instance_path: str, sealed: dict, organisation_id, device_id):
    """The JSON a tablet sealed (one mutation); CannotOpen when it is not ours to open."""
    if not isinstance(sealed, dict):
        raise CannotOpen("not an object")
    ephemeral, iv, ciphertext = (_unb64(sealed.get(part)) for part in ("epk", "iv", "ct"))
    key = _content_key(server_key(instance_path), ephemeral)
    try:
        plain = AESGCM(key).decrypt(iv, ciphertext, associated_data(organisation_id, device_id))
        return json.loads(plain.decode("utf-8"))
    except (InvalidTag, ValueError, RecursionError) as error:
        raise CannotOpen("cannot be opened") from error


def seal(instance_path: str, value, organisation_id, device_id) -> dict:
    """What a tablet does, here for tests and tools: only the public half is used."""
    ephemeral_key = ec.generate_private_key(ec.SECP256R1())
    ephemeral = ephemeral_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    shared = ephemeral_key.exchange(ec.ECDH(), server_key(instance_path).public_key())
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral, info=INFO).derive(shared)
    iv = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(iv, json.dumps(value).encode("utf-8"),
                                     associated_data(organisation_id, device_id))
    return {"epk": b64url(ephemeral), "iv": b64url(iv), "ct": b64url(ciphertext)}


@dataclass(frozen=True)
class SealingKey:
    organisation_id: str
    public_key: str


class SealingKeySchema(Schema):
    organisation_id = fields.String(dump_only=True)
    public_key = fields.String(dump_only=True)


def _rows(session, person) -> list[SealingKey]:
    return [SealingKey(str(person.organisation_id), public_key(current_app.instance_path))]


REFERENCE = (ReferencePart("sealing", _rows, SealingKeySchema()),)
