"""referrals: each referral of an interview (suggested, offered, made, answered, its outcome,
or dismissed with a reason) and the Active Offer of advocacy, one per interview

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:31:13.442756

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0010'
# 0009 (self reports) is on another branch: relink to '0009' when both are merged.
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('advocacy_offers',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('offered', sa.Boolean(), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=True),
    sa.Column('offered_by', sa.String(length=64), nullable=True),
    sa.Column('response', sa.Enum('pending', 'accepted', 'declined', name='offerresponse', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('provider', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_advocacy_offers_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_advocacy_offers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advocacy_offers')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_advocacy_offers_interview_id'))
    )
    with op.batch_alter_table('advocacy_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advocacy_offers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advocacy_offers_rev'), ['rev'], unique=False)

    op.create_table('referrals',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('service_id', sa.String(length=64), nullable=True),
    sa.Column('rule', sa.String(length=64), nullable=True),
    sa.Column('rule_version', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('suggested', 'offered', 'made', 'accepted', 'declined', 'dismissed', name='referralstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('suggested_at', sa.DateTime(), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=True),
    sa.Column('made_at', sa.DateTime(), nullable=True),
    sa.Column('made_to', sa.Text(), nullable=True),
    sa.Column('made_how', sa.String(length=64), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('dismissed_reason', sa.Text(), nullable=True),
    sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_referrals_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_referrals_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_rev'), ['rev'], unique=False)



def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_rev'))
        batch_op.drop_index(batch_op.f('ix_referrals_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_interview_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('advocacy_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advocacy_offers_rev'))
        batch_op.drop_index(batch_op.f('ix_advocacy_offers_organisation_id'))

    op.drop_table('advocacy_offers')
