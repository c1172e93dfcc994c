"""One piece of information for the police that a child gave in their interview: a person, a
place, a vehicle, a phone number or a social media account, with how the child feels about it
being shared. Kept in its own table, never in an interview's free-text notes."""

import enum
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import DeviceWritable
from app.extensions import db


class Kind(enum.StrEnum):
    """The codes of the code list "intelligence_kind"."""

    PERSON = "person"
    PLACE = "place"
    VEHICLE = "vehicle"
    PHONE_NUMBER = "phone_number"
    SOCIAL_MEDIA = "social_media"


class SharingView(enum.StrEnum):
    """The codes of the code list "sharing_view": how the child feels about it being shared."""

    HAPPY = "happy"
    UNSURE = "unsure"
    NOT_HAPPY = "not_happy"
    NOT_ASKED = "not_asked"


# The longest text each field holds (the schema and the columns read these).
LIMITS = {
    "name": 200, "nickname": 200, "description": 2000, "address_or_place": 500,
    "vehicle_registration": 16, "vehicle_description": 500, "phone_number": 32,
    "platform": 100, "handle": 200, "relationship": 1000,
}


class IntelligenceItem(DeviceWritable, db.Model):
    __tablename__ = "intelligence_items"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    interview_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_interviews.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str | None] = mapped_column(String(LIMITS["name"]))
    nickname: Mapped[str | None] = mapped_column(String(LIMITS["nickname"]))
    description: Mapped[str | None] = mapped_column(Text)
    address_or_place: Mapped[str | None] = mapped_column(String(LIMITS["address_or_place"]))
    vehicle_registration: Mapped[str | None] = mapped_column(
        String(LIMITS["vehicle_registration"]))
    vehicle_description: Mapped[str | None] = mapped_column(
        String(LIMITS["vehicle_description"]))
    phone_number: Mapped[str | None] = mapped_column(String(LIMITS["phone_number"]))
    platform: Mapped[str | None] = mapped_column(String(LIMITS["platform"]))
    handle: Mapped[str | None] = mapped_column(String(LIMITS["handle"]))
    relationship: Mapped[str | None] = mapped_column(Text)
    sharing_view: Mapped[str] = mapped_column(String(64), nullable=False,
                                              default=SharingView.NOT_ASKED.value)
