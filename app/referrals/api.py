"""JSON routes for referrals and the Active Offer of advocacy."""

from app.api.resources import Resource
from app.referrals import schemas, services
from app.referrals.models import ActiveOffer, Referral

RESOURCES = [
    Resource(
        name="referrals",
        model=Referral,
        schema=schemas.ReferralSchema,
        query_schema=schemas.ReferralQuery,
        visible=services.visible_referrals,
        create=services.create_referral,
        update=services.update_referral,
        order_by=[Referral.created_at, Referral.id],
        description="Referrals of an interview: suggested, offered, made (when, to whom, how), "
                    "accepted or declined, their outcome, or dismissed with a reason.",
    ),
    Resource(
        name="advocacy_offers",
        model=ActiveOffer,
        schema=schemas.ActiveOfferSchema,
        query_schema=schemas.ActiveOfferQuery,
        visible=services.visible_offers,
        create=services.create_offer,
        update=services.update_offer,
        order_by=[ActiveOffer.created_at, ActiveOffer.id],
        description="The Active Offer of independent advocacy of an interview: offered, when, "
                    "by whom, and the child's answer.",
    ),
]
