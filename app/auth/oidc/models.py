"""An organisation's own OpenID Connect provider: where its people sign in, which e-mail domains
use it, and how the provider's groups become Adref's roles."""

import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, Role, enum_column
from app.core.ids import new_id
from app.core.models import Timestamped
from app.extensions import db


class IdentityProvider(Timestamped, db.Model):
    """One per organisation, set by its admin."""

    __tablename__ = "identity_providers"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, unique=True)
    # The issuer's URL; its discovery document is at issuer + /.well-known/openid-configuration.
    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    client_id: Mapped[str] = mapped_column(String(255), nullable=False)
    # Sealed with a key made from the server's secret (services.seal_client_secret): a copy of
    # the database alone does not give it away.
    client_secret: Mapped[str] = mapped_column(String(500), nullable=False)
    # The ID token's claim that lists the person's groups ("groups" for most providers).
    groups_claim: Mapped[str] = mapped_column(String(100), nullable=False, default="groups")
    # Shared tablets: ask for the password at the provider every time (prompt=login), and/or
    # accept a provider sign-in only if it is at most max_age seconds old.
    prompt_login: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    max_age: Mapped[int | None] = mapped_column(Integer)
    organisation = relationship(Organisation)
    domains = relationship("IdentityProviderDomain", cascade="all, delete-orphan",
                           order_by="IdentityProviderDomain.domain")
    groups = relationship("IdentityProviderGroup", cascade="all, delete-orphan",
                          order_by="IdentityProviderGroup.group_name")


class IdentityProviderDomain(db.Model):
    """An e-mail domain whose people sign in through this provider. A domain belongs to one
    provider only, so the address a person types picks exactly one."""

    __tablename__ = "identity_provider_domains"
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("identity_providers.id"), nullable=False, index=True)
    # The role given to a person of this domain whom no group maps; none: refused.
    default_role: Mapped[Role | None] = mapped_column(enum_column(Role))


class IdentityProviderGroup(db.Model):
    """A group the provider names, and the role it gives in Adref."""

    __tablename__ = "identity_provider_groups"
    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("identity_providers.id"), primary_key=True)
    group_name: Mapped[str] = mapped_column(String(255), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
