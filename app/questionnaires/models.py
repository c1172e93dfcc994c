import uuid

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import SyncedRecord
from app.core.types import JSONDocument
from app.extensions import db


class QuestionnaireVersion(SyncedRecord, db.Model):
    """One published version of a questionnaire. Never edited once answers point at it:
    a change, such as an organisation's local questions, is a new version."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # Set when an organisation published this version with local questions of its own.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    definition: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
