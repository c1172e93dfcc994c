"""report clients: a commissioner's system that reads the annual figures of the areas it is
granted through OAuth2 client credentials (secret kept as a SHA-256), and the access tokens
issued to it (kept as SHA-256 digests)

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_clients',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_report_clients_created_by_id_people')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_report_clients_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_report_clients_client_id'))
    )
    with op.batch_alter_table('report_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_clients_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('report_client_areas',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_report_client_areas_area_code_areas')),
    sa.ForeignKeyConstraint(['client_id'], ['report_clients.id'], name=op.f('fk_report_client_areas_client_id_report_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'area_code', name=op.f('pk_report_client_areas'))
    )

    op.create_table('report_tokens',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['report_clients.id'], name=op.f('fk_report_tokens_client_id_report_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_report_tokens_token_hash'))
    )
    with op.batch_alter_table('report_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_tokens_client_id'), ['client_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_tokens_client_id'))
    op.drop_table('report_tokens')
    op.drop_table('report_client_areas')
    with op.batch_alter_table('report_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_clients_organisation_id'))
    op.drop_table('report_clients')
