"""A second factor for local accounts: a TOTP secret (RFC 6238, via pyotp) and recovery codes.

Supervisors and admins signing in with a local password must give one; a worker (or a
commissioner) may choose to. People who sign in through their organisation's identity provider
do not: that is the provider's job. Each TOTP code is accepted once (the last accepted time-step
is kept, so a code seen over a shoulder cannot be used again); recovery codes are shown once, kept
only as digests, and each works once. Wrong codes in a row lock the second factor for a while.
"""

import enum
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Device, Person, RefreshToken, Role, SignInSession
from app.auth.second_factor.models import RecoveryCode, SecondFactor
from app.core.errors import NotFound

ISSUER = "Adref"
RECOVERY_CODES = 10
# A code from the step before or after the current one is accepted too: a phone's clock a little
# out, or a code typed as it changed.
STEPS_EITHER_SIDE = 1
WRONG_CODES_BEFORE_LOCK = 5
LOCK_TIME = timedelta(minutes=15)
# Recovery codes: 12 characters of base32 (60 random bits), shown in groups of four.
_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_CODE_LENGTH = 12


class Check(enum.StrEnum):
    ACCEPTED = "accepted"
    RECOVERY_CODE_USED = "recovery code used"
    MISSING = "missing"  # nothing typed: not counted as a wrong code
    WRONG = "wrong"
    LOCKED = "locked"


# --- who needs one, and what they have ---------------------------------------------------------

def second_factor_of(session: Session, person: Person) -> SecondFactor | None:
    return session.get(SecondFactor, person.id)


def is_enrolled(session: Session, person: Person) -> bool:
    found = second_factor_of(session, person)
    return found is not None and found.enrolled_at is not None


def must_enrol(person: Person) -> bool:
    """Supervisors and admins see every child of a team or an organisation: a password alone is
    not enough for them."""
    return person.role in (Role.SUPERVISOR, Role.ADMIN)


def needs_second_factor(session: Session, person: Person) -> bool:
    return must_enrol(person) or is_enrolled(session, person)


def recovery_codes_left(session: Session, person: Person) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.person_id == person.id, RecoveryCode.used_at.is_(None)))


# --- enrolling -------------------------------------------------------------------------------------

def offered_secret(session: Session, person: Person) -> SecondFactor:
    """The secret offered to a person not yet enrolled: the same one until they confirm it, so a
    page shown again does not undo the QR code they have just scanned."""
    found = second_factor_of(session, person)
    if found is None:
        found = SecondFactor(person_id=person.id, secret=pyotp.random_base32(), wrong_codes=0)
        session.add(found)
        session.flush()
    return found


def provisioning_uri(person: Person, factor: SecondFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=person.email, issuer_name=ISSUER)


def qr_code_svg(uri: str, title: str) -> str:
    """The QR code as an inline <svg> element (the pages' policy lets no inline style or image
    data in; an element of the page is neither), with a title for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, title=title, omitsize=True,
                                                  dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _attribute(title) + '" ', 1)


def _attribute(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _code_confirms(session: Session, person: Person, factor, code: str, now: datetime) -> Check:
    """A code typed to confirm a form (enrolling, new recovery codes): none typed is asked for
    again, and is not counted as wrong."""
    if not code.strip():
        return Check.MISSING
    return _check_totp(session, person, factor, code, now)


def confirm_enrolment(session: Session, person: Person, code: str,
                      now: datetime) -> tuple[Check, list[str]]:
    """The person's first code from their app confirms the offered secret; their recovery codes
    (shown once) are made then."""
    factor = offered_secret(session, person)
    if factor.enrolled_at is not None:
        return Check.WRONG, []
    outcome = _code_confirms(session, person, factor, code, now)
    if outcome is not Check.ACCEPTED:
        return outcome, []
    factor.enrolled_at = now
    record_access(session, person, "2fa-enrolled", "people", person.id)
    return Check.ACCEPTED, new_recovery_codes(session, person)


def new_recovery_codes(session: Session, person: Person) -> list[str]:
    """Ten new recovery codes; any earlier ones stop working. The codes themselves are returned
    to be shown once, and never kept."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    codes = ["-".join(group) for group in (
        [code[i:i + 4] for i in range(0, _CODE_LENGTH, 4)] for code in (
            "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
            for _ in range(RECOVERY_CODES)))]
    session.add_all(RecoveryCode(person_id=person.id, code_hash=_recovery_digest(person.id, code))
                    for code in codes)
    return codes


def replace_recovery_codes(session: Session, person: Person, code: str,
                           now: datetime) -> tuple[Check, list[str]]:
    """New recovery codes for an enrolled person who proves it with a current code."""
    factor = second_factor_of(session, person)
    if factor is None or factor.enrolled_at is None:
        return Check.WRONG, []
    outcome = _code_confirms(session, person, factor, code, now)
    if outcome is not Check.ACCEPTED:
        return outcome, []
    record_access(session, person, "2fa-new-codes", "people", person.id)
    return Check.ACCEPTED, new_recovery_codes(session, person)


# --- checking a code at sign-in -------------------------------------------------------------------

def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _recovery_digest(person_id: uuid.UUID, code: str) -> str:
    return hashlib.sha256(f"{person_id}:{_normalised(code)}".encode()).hexdigest()


def is_locked(session: Session, person: Person, now: datetime) -> bool:
    factor = second_factor_of(session, person)
    return factor is not None and factor.locked_until is not None and factor.locked_until > now


def check_code(session: Session, person: Person, code: str, now: datetime) -> Check:
    """A code from the person's app (six digits) or one of their recovery codes."""
    factor = second_factor_of(session, person)
    if factor is None or factor.enrolled_at is None:
        return Check.WRONG
    typed = _normalised(code)
    if not typed:
        return Check.MISSING
    if len(typed) == 6 and typed.isdigit():
        return _check_totp(session, person, factor, code, now)
    if _locked(factor, now):
        return Check.LOCKED
    found = session.scalars(select(RecoveryCode).where(
        RecoveryCode.person_id == person.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == _recovery_digest(person.id, code))).first()
    if found is None:
        return _wrong_code(session, person, factor, now)
    # Spent in the same UPDATE that checks it is unspent, so two uses at once cannot both win.
    spent = session.execute(update(RecoveryCode).where(
        RecoveryCode.id == found.id, RecoveryCode.used_at.is_(None)).values(used_at=now))
    if spent.rowcount != 1:
        return _wrong_code(session, person, factor, now)
    factor.wrong_codes, factor.locked_until = 0, None
    record_access(session, person, "2fa-recovery", "people", person.id)
    return Check.RECOVERY_CODE_USED


def _locked(factor: SecondFactor, now: datetime) -> bool:
    return factor.locked_until is not None and factor.locked_until > now


def _check_totp(session: Session, person: Person, factor: SecondFactor, code: str,
                now: datetime) -> Check:
    if _locked(factor, now):
        return Check.LOCKED
    code = _normalised(code)
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(now)
    for step in range(current - STEPS_EITHER_SIDE, current + STEPS_EITHER_SIDE + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if factor.last_step is not None and step <= factor.last_step:
                break  # used already (or an older one than the last used): a replay
            factor.last_step = step
            factor.wrong_codes, factor.locked_until = 0, None
            return Check.ACCEPTED
    return _wrong_code(session, person, factor, now)


def _wrong_code(session: Session, person: Person, factor: SecondFactor, now: datetime) -> Check:
    factor.wrong_codes += 1
    record_access(session, person, "2fa-wrong-code", "people", person.id)
    if factor.wrong_codes >= WRONG_CODES_BEFORE_LOCK:
        factor.wrong_codes, factor.locked_until = 0, now + LOCK_TIME
        record_access(session, person, "2fa-locked", "people", person.id)
        return Check.LOCKED
    return Check.WRONG


# --- an admin's reset, and signing out everywhere -------------------------------------------------

def reset_second_factor(session: Session, actor: Person, person_id: uuid.UUID) -> Person:
    """An admin takes a person's second factor away (a lost phone): they enrol again at their
    next sign-in. Only an admin of the person's organisation; for anyone else there is no such
    person."""
    person = session.get(Person, person_id)
    if person is None or actor.role != Role.ADMIN or person.organisation_id != actor.organisation_id:
        raise NotFound()
    session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    session.execute(delete(SecondFactor).where(SecondFactor.person_id == person.id))
    record_access(session, actor, "2fa-reset", "people", person.id)
    return person


def sign_out_everywhere(session: Session, actor: Person, person: Person, now: datetime) -> int:
    """Ends every web session of the person and signs out every tablet of theirs: its refresh
    tokens are spent and the device marked signed out, so its next sync is refused until they
    sign in on it again. Nothing on the tablet is erased (unlike a revoked device), so its
    unsent work stays. Also for a deactivated account. How many web sessions were ended."""
    ended = session.execute(update(SignInSession).where(
        SignInSession.person_id == person.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now)).rowcount
    devices = select(Device.id).where(Device.person_id == person.id)
    session.execute(update(RefreshToken).where(
        RefreshToken.device_id.in_(devices), RefreshToken.spent_at.is_(None))
        .values(spent_at=now))
    session.execute(update(Device).where(Device.person_id == person.id)
                    .values(signed_out_at=now))
    record_access(session, actor, "sign-out-all", "people", person.id)
    return ended
