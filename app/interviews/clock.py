"""The 72-hour clock. It starts when the child returns (found or came back), not at the report,
and counts real elapsed time: instants are UTC, so the clocks changing cannot stretch or shrink it."""

from datetime import datetime, timedelta

DEADLINE = timedelta(hours=72)


def due_by(returned_at: datetime | None) -> datetime | None:
    return returned_at + DEADLINE if returned_at else None


def hours_to_interview(returned_at: datetime | None, conducted_at: datetime | None) -> float | None:
    if returned_at is None or conducted_at is None:
        return None
    return round((conducted_at - returned_at).total_seconds() / 3600, 2)


def within_deadline(returned_at: datetime | None, conducted_at: datetime | None) -> bool | None:
    if returned_at is None or conducted_at is None:
        return None
    return conducted_at - returned_at <= DEADLINE
