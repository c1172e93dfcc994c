"""intelligence items: the people, places, vehicles, phone numbers and social media accounts a
child named in their interview, each with how the child feels about it being shared

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 02:45:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('intelligence_items',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('nickname', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('address_or_place', sa.String(length=500), nullable=True),
    sa.Column('vehicle_registration', sa.String(length=16), nullable=True),
    sa.Column('vehicle_description', sa.String(length=500), nullable=True),
    sa.Column('phone_number', sa.String(length=32), nullable=True),
    sa.Column('platform', sa.String(length=100), nullable=True),
    sa.Column('handle', sa.String(length=200), nullable=True),
    sa.Column('relationship', sa.Text(), nullable=True),
    sa.Column('sharing_view', sa.String(length=64), nullable=False),
    sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_intelligence_items_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_intelligence_items_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intelligence_items'))
    )
    with op.batch_alter_table('intelligence_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intelligence_items_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_items_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_items_rev'), ['rev'], unique=False)


def downgrade():
    op.drop_table('intelligence_items')
