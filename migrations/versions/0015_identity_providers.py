"""identity providers: each organisation's own OpenID Connect provider, the e-mail domains that
use it and its groups mapped to roles; a person's (issuer, subject) at their provider

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 05:32:45.231313

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_providers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret', sa.String(length=500), nullable=False),
    sa.Column('groups_claim', sa.String(length=100), nullable=False),
    sa.Column('prompt_login', sa.Boolean(), nullable=False),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_identity_providers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_providers')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_identity_providers_organisation_id'))
    )
    op.create_table('identity_provider_domains',
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('provider_id', sa.Uuid(), nullable=False),
    sa.Column('default_role', sa.Enum('worker', 'supervisor', 'admin', 'commissioner', name='role', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_identity_provider_domains_provider_id_identity_providers')),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_identity_provider_domains'))
    )
    with op.batch_alter_table('identity_provider_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_provider_domains_provider_id'), ['provider_id'], unique=False)

    op.create_table('identity_provider_groups',
    sa.Column('provider_id', sa.Uuid(), nullable=False),
    sa.Column('group_name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('worker', 'supervisor', 'admin', 'commissioner', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'], name=op.f('fk_identity_provider_groups_provider_id_identity_providers')),
    sa.PrimaryKeyConstraint('provider_id', 'group_name', name=op.f('pk_identity_provider_groups'))
    )
    # Plain ALTERs and a unique index, not a batch: on SQLite a batch would copy the people
    # table, which every other table refers to.
    op.add_column('people', sa.Column('oidc_issuer', sa.String(length=500), nullable=True))
    op.add_column('people', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.create_index('ix_people_oidc_identity', 'people', ['oidc_issuer', 'oidc_subject'], unique=True)



def downgrade():
    op.drop_index('ix_people_oidc_identity', table_name='people')
    op.drop_column('people', 'oidc_subject')
    op.drop_column('people', 'oidc_issuer')

    op.drop_table('identity_provider_groups')
    with op.batch_alter_table('identity_provider_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_provider_domains_provider_id'))

    op.drop_table('identity_provider_domains')
    op.drop_table('identity_providers')
