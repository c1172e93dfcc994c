"""The 72-hour clock. It starts when the child returns (found or came back), not at the report,
and counts real elapsed time: instants are UTC, so the clocks changing cannot stretch or shrink it."""

from datetime import UTC, datetime, timedelta

DEADLINE = timedelta(hours=72)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    # Python subtracts two times of one zone by the wall clock; in UTC wall time is real time.
    return end.astimezone(UTC) - start.astimezone(UTC)


def due_by(returned_at: datetime | None) -> datetime | None:
    return returned_at.astimezone(UTC) + DEADLINE if returned_at else None


def hours_to_interview(returned_at: datetime | None, conducted_at: datetime | None) -> float | None:
    if returned_at is None or conducted_at is None:
        return None
    return round(_elapsed(returned_at, conducted_at).total_seconds() / 3600, 2)


def within_deadline(returned_at: datetime | None, conducted_at: datetime | None) -> bool | None:
    if returned_at is None or conducted_at is None:
        return None
    return _elapsed(returned_at, conducted_at) <= DEADLINE
