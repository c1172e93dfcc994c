"""review decisions: a supervisor's approvals and returns with comments, an admin's reopening
with a reason, each with a snapshot of what was reviewed; and each interview's review priority,
indexed for the review queue

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table('review_decisions',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('decision', sa.Enum('approve', 'return', 'reopen', name='decision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_name', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('snapshot', JSON, nullable=False),
    sa.Column('field_sources', JSON, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_review_decisions_decided_by_id_people')),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_review_decisions_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_review_decisions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decisions_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_rev'), ['rev'], unique=False)

    # Plain ALTERs, which SQLite (3.35 and later) makes in place: a batch would copy the table,
    # and dropping the old copy would take the interviews' coded answers with it (ON DELETE
    # CASCADE, with SQLite's foreign keys on).
    op.add_column('return_interviews', sa.Column('review_priority', sa.SmallInteger(), server_default=sa.text('0'), nullable=False))
    op.create_index('ix_return_interviews_review_queue', 'return_interviews', ['organisation_id', 'status', 'review_priority', 'submitted_at'], unique=False)


def downgrade():
    op.drop_index('ix_return_interviews_review_queue', table_name='return_interviews')
    op.drop_column('return_interviews', 'review_priority')

    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_rev'))
        batch_op.drop_index(batch_op.f('ix_review_decisions_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_review_decisions_interview_id'))

    op.drop_table('review_decisions')
