"""interview reports: what the child asked not to share from their interview's report (and
what is shared anyway for their safety, why, and when they were told), and each share

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:08:43.416373

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_choices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('withheld', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('overridden', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('child_told_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_report_choices_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['updated_by'], ['people.id'], name=op.f('fk_report_choices_updated_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_choices')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_report_choices_interview_id'))
    )
    op.create_table('report_shares',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('recipient_kind', sa.String(length=32), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.Column('shared_by', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_report_shares_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['shared_by'], ['people.id'], name=op.f('fk_report_shares_shared_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_shares'))
    )
    with op.batch_alter_table('report_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_shares_interview_id'), ['interview_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_shares_interview_id'))

    op.drop_table('report_shares')
    op.drop_table('report_choices')
