"""The 72-hour clock. It starts when the child returns (found or came back), not at the report,
and counts real elapsed time: instants are UTC, so the clocks changing cannot stretch or shrink it.

Where the clock stands is defined once, in DEFINITION: the server's pages word it here, and the
worker's app, which is offline, computes it in static/app/cases.js from the same table (a test
holds the two tables equal) and with the same msgids. tests/clock_examples.json holds example
cases that both this module and the app's must answer alike."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

DEFINITION = {
    "deadline_hours": 72,
    # Times longer than this are said in days and hours ("40 days 20 hours").
    "hours_up_to": 72,
    # Whole hours: time left is rounded up ("due within 3 hours" while 2h10m remain), time late
    # rounded down, and never less than an hour (so that neither says "0 hours").
    "rounding": {"due": "up", "overdue": "down"},
    # Most urgent first: a worker's list shows each child's most urgent episode.
    "urgency": ["overdue", "due", "missing", "held_late", "declined", "held", "none"],
}
DEADLINE = timedelta(hours=DEFINITION["deadline_hours"])
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class ClockState:
    """One of DEFINITION's states; hours for "due" (left) and "overdue" (late)."""

    kind: str
    hours: int | None = None


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


def _whole_hours(span: timedelta, kind: str) -> int:
    hours = span / HOUR
    rounded = math.ceil(hours) if DEFINITION["rounding"][kind] == "up" else math.floor(hours)
    return max(1, rounded)


def clock_state(episode, interview=None, now: datetime | None = None) -> ClockState:
    """Where the clock stands for an episode (anything with returned_at) and its interview
    (consent and conducted_at; None before one is started). The interview's status does not
    move the clock: a draft held in time was held in time, a submitted one not held is due."""
    if episode is None:
        return ClockState("none")
    if episode.returned_at is None:
        return ClockState("missing")
    if interview is not None and interview.consent == "declined":
        return ClockState("declined")
    if interview is not None and interview.conducted_at is not None:
        on_time = within_deadline(episode.returned_at, interview.conducted_at)
        return ClockState("held" if on_time else "held_late")
    left = _elapsed(now or datetime.now(UTC), due_by(episode.returned_at))
    if left >= timedelta(0):
        return ClockState("due", _whole_hours(left, "due"))
    return ClockState("overdue", _whole_hours(-left, "overdue"))


def duration_text(hours: int) -> str:
    """"20 hours", or beyond DEFINITION's hours_up_to, "40 days 20 hours" (or "3 days")."""
    if hours <= DEFINITION["hours_up_to"]:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    days, rest = divmod(hours, 24)
    said = ngettext("%(num)d day", "%(num)d days", days)
    return f"{said} {ngettext('%(num)d hour', '%(num)d hours', rest)}" if rest else said


def clock_text(state: ClockState) -> str:
    """The state in the reader's language, as the worker's app words it."""
    if state.kind == "due":
        return _("Interview due within %(time)s", time=duration_text(state.hours))
    if state.kind == "overdue":
        return _("Interview overdue by %(time)s", time=duration_text(state.hours))
    return {
        "missing": lambda: _("Not back yet"),
        "declined": lambda: _("Interview declined"),
        "held": lambda: _("Interview held within 72 hours"),
        "held_late": lambda: _("Interview held after 72 hours"),
    }.get(state.kind, lambda: _("No missing episodes recorded"))()
