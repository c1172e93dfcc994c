"""A device's contact: what it reports of itself on each sync call (sync/reporting.py) kept on
its Device row, for the supervisor's sync health (app/board)."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.auth.models import Device
from sync.reporting import Report


def note_report(session: Session, device: Device, report: Report, now: datetime) -> None:
    """Keeps what the device said, with when; a device that said nothing (an old tablet) is left
    as it was. What it did not say stays as last said: an app version sent once is still true."""
    if not report.said_anything:
        return
    values = {"reported_at": now, "last_seen_at": now}
    if report.unsent is not None:
        values["unsent_count"] = report.unsent
    if report.app_version is not None:
        values["app_version"] = report.app_version
    # One UPDATE of the row, as a push's own bookkeeping is written (app/syncing/store.py), not
    # through the loaded object, so neither overwrites the other's columns.
    session.execute(update(Device).where(Device.id == device.id).values(**values))
