"""Guessing passwords is slowed and then stopped: wrong passwords in a row for an e-mail
address, or from a network address, are refused for a growing time without a hash computed,
and an account is locked for a while after ten; an admin may unlock it; all of it audited."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import SignInThrottle
from tests.conftest import PASSWORD, sign_in

LOCK_MESSAGE = {
    "en": "There have been too many wrong passwords.",
    "cy": "Bu gormod o gyfrineiriau anghywir.",
}


@pytest.fixture
def hashes(monkeypatch):
    """How many times a password was checked (each check an Argon2 hash)."""
    calls = []
    real = services.verify_password

    def counting(password_hash, password):
        calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return calls


def post_sign_in(client, email, password, lang="en", address="192.0.2.1"):
    page = client.get(f"/sign-in?lang={lang}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/sign-in", data={"csrf_token": token, "email": email,
                                         "password": password},
                       environ_base={"REMOTE_ADDR": address})


def age_failures(session, by: timedelta):
    """Moves every stored failure (and lock) back in time, as if `by` had passed."""
    for row in session.scalars(select(SignInThrottle)):
        row.last_failure_at -= by
        if row.locked_until is not None:
            row.locked_until -= by
    session.commit()


def fail(client, email, times, address="192.0.2.1"):
    for _ in range(times):
        post_sign_in(client, email, "wrong password", address=address)


def test_the_sixth_wrong_password_in_a_row_is_refused_without_a_hash(client, world, hashes):
    answers = [post_sign_in(client, world.worker.email, "wrong password") for _ in range(6)]
    assert [a.status_code for a in answers] == [422] * 5 + [429]
    assert len(hashes) == 5
    assert LOCK_MESSAGE["en"] in answers[-1].text
    # Even the right password is not checked while the wait lasts.
    refused = post_sign_in(client, world.worker.email, PASSWORD)
    assert refused.status_code == 429
    assert len(hashes) == 5


def test_the_wait_grows_and_then_lifts(client, world, session, hashes):
    fail(client, world.worker.email, 5)
    age_failures(session, timedelta(seconds=31))
    fail(client, world.worker.email, 1)  # the sixth: a wait of a minute now
    assert len(hashes) == 6
    age_failures(session, timedelta(seconds=31))
    assert post_sign_in(client, world.worker.email, PASSWORD).status_code == 429
    age_failures(session, timedelta(seconds=30))
    assert post_sign_in(client, world.worker.email, PASSWORD).status_code == 302
    assert session.scalars(select(SignInThrottle).where(
        SignInThrottle.kind == "account")).all() == []


def lock(client, session, *emails):
    """Ten wrong passwords in a row, each after its wait (from different addresses)."""
    for attempt in range(10):
        for number, email in enumerate(emails):
            post_sign_in(client, email, "wrong password",
                         address=f"192.0.{number + 3}.{attempt // 4 + 10}")
        age_failures(session, timedelta(minutes=9))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_locked_account_and_an_unknown_one_get_the_same_words(client, world, session, lang,
                                                                  hashes):
    lock(client, session, world.worker.email, "nobody@example.org")
    assert len(hashes) == 20
    real = post_sign_in(client, world.worker.email, PASSWORD, lang=lang, address="192.0.2.99")
    unknown = post_sign_in(client, "nobody@example.org", PASSWORD, lang=lang,
                           address="192.0.2.99")
    assert real.status_code == unknown.status_code == 429
    assert len(hashes) == 20
    assert LOCK_MESSAGE[lang] in real.text

    def summary(page):
        return re.search(r'<div class="error-summary".*?</div>', page.text, re.S).group(0)

    assert summary(real) == summary(unknown)


def test_a_lock_lasts_half_an_hour(client, world, session):
    lock(client, session, world.worker.email)
    [row] = session.scalars(select(SignInThrottle).where(SignInThrottle.kind == "account"))
    assert row.failures == 10 and row.locked_until is not None
    # Moved to 20 minutes after the tenth failure: still locked.
    age_failures(session, timedelta(minutes=11))
    assert post_sign_in(client, world.worker.email, PASSWORD, address="192.0.2.99"
                        ).status_code == 429
    age_failures(session, timedelta(minutes=11))
    assert post_sign_in(client, world.worker.email, PASSWORD, address="192.0.2.99"
                        ).status_code == 302


def test_wrong_passwords_from_one_address_are_slowed_whatever_the_account(client, world,
                                                                          hashes):
    for number in range(5):
        post_sign_in(client, f"guess{number}@example.org", "wrong password")
    assert post_sign_in(client, world.worker.email, PASSWORD).status_code == 429
    assert len(hashes) == 5
    assert post_sign_in(client, world.worker.email, PASSWORD,
                        address="198.51.100.7").status_code == 302


def test_failures_and_locks_are_audited_without_the_address(client, world, session):
    lock(client, session, world.worker.email)
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.record_id == world.worker.id)).all()
    assert [e.action for e in events].count("sign-in-failed") == 10
    assert [e.action for e in events].count("locked") == 1
    assert {e.person_id for e in events} == {world.worker.id}
    stored = " ".join(f"{r.key} {r.kind}" for r in session.scalars(select(SignInThrottle)))
    assert world.worker.email not in stored and "192.0." not in stored


def test_an_admin_unlocks_an_account(client, world, session, as_person):
    lock(client, session, world.worker.email)
    admin = as_person(world.admin)
    response = admin.post(f"/api/v1/people/{world.worker.id}/unlock", json={})
    assert response.status_code == 200, response.json
    assert response.json == {"id": str(world.worker.id), "unlocked": True}
    assert [e.person_id for e in session.scalars(select(AuditEvent).where(
        AuditEvent.action == "unlock", AuditEvent.record_id == world.worker.id))] \
        == [world.admin.id]
    sign_in(client, world.worker)


@pytest.mark.parametrize("who", ["supervisor", "worker", "outsider"])
def test_only_an_admin_of_the_organisation_may_unlock(client, world, session, as_person, who):
    lock(client, session, world.colleague.email)
    response = as_person(getattr(world, who)).post(
        f"/api/v1/people/{world.colleague.id}/unlock", json={})
    assert response.status_code == 404
    assert post_sign_in(client, world.colleague.email, PASSWORD,
                        address="192.0.2.99").status_code == 429


def test_an_admin_of_another_organisation_is_told_there_is_no_such_person(world, session,
                                                                          as_person):
    session.execute(update(type(world.outsider)).where(
        type(world.outsider).id == world.outsider.id).values(role="admin"))
    session.commit()
    response = as_person(world.outsider).post(f"/api/v1/people/{world.worker.id}/unlock",
                                              json={})
    assert response.status_code == 404
