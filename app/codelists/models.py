import uuid

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import SyncedRecord
from app.extensions import db


class CodeListItem(SyncedRecord, db.Model):
    """One entry of a code list. Reports count codes, never free text, so codes never change.

    organisation_id is set for an item an organisation added for itself; core items have none.
    """

    __tablename__ = "code_list_items"
    __table_args__ = (UniqueConstraint("list_name", "code"),)
    list_name: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    label_en: Mapped[str] = mapped_column(String(200), nullable=False)
    label_cy: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
