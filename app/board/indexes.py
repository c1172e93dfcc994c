"""Indexes the board's queries need (migrations/versions/0020_device_health.py makes them). Each
is declared here, on the table of the capability that owns it, so that the board's needs stay
with the board and the models' metadata and the migrations agree."""

from sqlalchemy import Index

from app.cases.models import MissingEpisode
from app.interviews.models import ReturnInterview
from app.referrals.models import Referral
from app.syncing.models import SyncConflict

INDEXES = (
    # Open and overdue 72-hour windows: episodes by when the child came back.
    Index("ix_missing_episodes_returned_at", MissingEpisode.returned_at),
    # Declined offers, failing attempts, intelligence awaiting sign-off: interviews not yet
    # approved (a few among many approved ones), by status.
    Index("ix_return_interviews_status", ReturnInterview.status),
    # Referrals outstanding: those suggested, offered or made.
    Index("ix_referrals_status", Referral.status),
    # Conflicts still open.
    Index("ix_sync_conflicts_resolved_at", SyncConflict.resolved_at),
)
