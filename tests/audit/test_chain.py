"""The audit trail's hash chain: every event written (one at a time through the ORM, or many at
once as a sync push writes them) joins one chain in id order; `flask audit verify` finds it
intact, and names the row where it is not: an edited row, a deleted row in the middle, at the
start or at the end, a row forged with a fresh hash, a row written around the chain."""

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from app.audit.chain import GENESIS, add_events, hash_of_row, verify_chain
from app.audit.models import AuditChainHead, AuditEvent
from app.audit.services import record_access
from app.extensions import db


def write_events(session, world, count: int) -> list[int]:
    """count events by the worker, in two transactions (the chain goes on across them), one
    flush of several rows and one of a bulk write among them."""
    half = count // 2
    for _ in range(half):
        record_access(session, world.worker, "read", "children", world.child.id)
    session.commit()
    add_events(session, world.org_a.id, world.admin.id, datetime.now(UTC),
               [("sync-create", "interviews", uuid.uuid4()) for _ in range(count - half)])
    session.commit()
    return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def verdict_of(session, batch_size=5000):
    verdict = verify_chain(session, batch_size)
    session.rollback()
    return verdict


def test_events_are_chained_in_id_order_and_the_chain_is_intact(session, world):
    ids = write_events(session, world, 7)
    assert ids == list(range(ids[0], ids[0] + 7))
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert rows[0].prev_hash == GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == hash_of_row(row, row.prev_hash)
    head = session.get(AuditChainHead, 1)
    assert (head.last_id, head.last_hash, head.count) == (rows[-1].id, rows[-1].hash, 7)

    verdict = verdict_of(session)
    assert verdict.intact, verdict.problem
    assert (verdict.count, verdict.last_id) == (7, ids[-1])


def test_an_edited_row_is_caught(session, world):
    ids = write_events(session, world, 6)
    session.execute(update(AuditEvent).where(AuditEvent.id == ids[2]).values(action="list"))
    session.commit()
    verdict = verdict_of(session)
    assert not verdict.intact
    assert verdict.row_id == ids[2]
    assert f"row {ids[2]} was changed" in verdict.problem
    assert verdict.count == 2  # the rows before it were sound


def test_an_edited_time_or_address_is_caught(session, world):
    ids = write_events(session, world, 4)
    session.execute(text("UPDATE audit_events SET address = '10.0.0.1' WHERE id = :id"),
                    {"id": ids[1]})
    session.commit()
    assert verdict_of(session).row_id == ids[1]


def test_a_deleted_row_in_the_middle_is_caught(session, world):
    ids = write_events(session, world, 6)
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[3]))
    session.commit()
    verdict = verdict_of(session)
    assert not verdict.intact
    assert verdict.row_id == ids[4]
    assert verdict.problem == (f"the chain breaks between row {ids[2]} and row {ids[4]}: "
                               f"row {ids[3]} is missing")


def test_a_deleted_first_row_is_caught(session, world):
    ids = write_events(session, world, 3)
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[0]))
    session.commit()
    verdict = verdict_of(session)
    assert verdict.row_id == ids[1] and "the first row" in verdict.problem


def test_deleted_last_rows_are_caught_by_the_head(session, world):
    ids = write_events(session, world, 5)
    session.execute(delete(AuditEvent).where(AuditEvent.id >= ids[3]))
    session.commit()
    verdict = verdict_of(session)
    assert not verdict.intact
    assert verdict.problem.startswith(f"the chain ends at row {ids[2]}, but its head names "
                                      f"row {ids[4]}")


def test_a_deleted_last_row_breaks_the_chain_for_the_events_after_it_too(session, world):
    """The next event links to the head, not to the last row left."""
    ids = write_events(session, world, 4)
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[-1]))
    session.commit()
    record_access(session, world.admin, "read", "people", world.worker.id)
    session.commit()
    verdict = verdict_of(session)
    assert verdict.row_id == ids[-1] + 1 and "is missing" in verdict.problem


def test_a_row_replaced_with_a_fresh_hash_is_caught_at_the_next_row(session, world):
    """Someone who knows the hash and rewrites a row whole: the next row still names the hash
    it had."""
    ids = write_events(session, world, 4)
    row = session.get(AuditEvent, ids[1])
    row.action = "list"
    forged = hash_of_row(row, row.prev_hash)
    session.execute(update(AuditEvent).where(AuditEvent.id == ids[1])
                    .values(action="list", hash=forged))
    session.commit()
    verdict = verdict_of(session)
    assert verdict.row_id == ids[2]
    assert f"row {ids[1]} was replaced" in verdict.problem


def test_a_row_written_around_the_chain_is_caught(session, world):
    ids = write_events(session, world, 2)
    session.execute(AuditEvent.__table__.insert().values(
        id=ids[-1] + 1, at=datetime.now(UTC), organisation_id=world.org_a.id,
        person_id=world.worker.id, action="read", collection="children"))
    session.commit()
    record_access(session, world.worker, "read", "children", world.child.id)
    session.commit()  # numbered after it, not refused for its id
    verdict = verdict_of(session)
    assert verdict.row_id == ids[-1] + 1 and "outside the chain" in verdict.problem


def test_the_walk_goes_in_batches_and_finds_a_problem_in_a_later_one(session, world):
    ids = write_events(session, world, 9)
    intact = verdict_of(session, batch_size=2)
    assert intact.intact and intact.count == 9
    session.execute(update(AuditEvent).where(AuditEvent.id == ids[7]).values(collection="x"))
    session.commit()
    assert verdict_of(session, batch_size=2).row_id == ids[7]


def test_an_empty_trail_is_intact(session):
    verdict = verdict_of(session)
    assert verdict.intact and verdict.count == 0


def test_many_events_in_one_flush_take_one_read_of_the_head(app, session, world):
    statements = []

    def count(conn, cursor, statement, *args):
        if "audit_chain_head" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    from sqlalchemy import event
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(30):
            record_access(session, world.worker, "read", "children", world.child.id)
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 30


def test_two_transactions_at_once_do_not_fork_the_chain(app, session, world):
    """The second writer waits for the first to commit (PostgreSQL's advisory lock, SQLite's
    one writer), then goes on from its last event."""
    engine = session.get_bind()
    first = Session(engine)
    record_access(first, world.worker, "read", "children", world.child.id)
    first.flush()  # holds the chain until it commits
    finished = []

    def second_writer():
        with Session(engine) as second:
            record_access(second, world.colleague, "read", "children", world.colleague_child.id)
            second.commit()
            finished.append(time.monotonic())

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.5)
    assert not finished, "the second writer did not wait for the first"
    first.commit()
    first.close()
    thread.join(timeout=20)
    assert finished
    verdict = verdict_of(session)
    assert verdict.intact, verdict.problem
    assert verdict.count == 2


def test_the_command_says_ok_or_names_the_row_and_fails(app, session, world):
    ids = write_events(session, world, 5)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: 5 events, chain intact (last row {ids[-1]}")

    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[2]))
    session.commit()
    result = runner.invoke(args=["audit", "verify", "--batch-size", "2"])
    assert result.exit_code == 1
    assert f"row {ids[2]} is missing" in result.output
    with app.app_context():
        db.session.remove()


@pytest.mark.parametrize("count", [1, 130])
def test_a_sync_push_sized_bulk_write_is_chained(session, world, count):
    ids = write_events(session, world, count + 1)
    assert len(ids) == count + 1
    assert verdict_of(session).intact
