"""self reports: the young person's own section of an interview, and its coded answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:20:17.918252

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('self_reports',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('questionnaire_version_id', sa.Uuid(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('first_language', sa.String(length=64), nullable=True),
    sa.Column('interpreter', sa.Boolean(), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('handed_back_at', sa.DateTime(), nullable=True),
    sa.Column('feeling_before', sa.String(length=64), nullable=True),
    sa.Column('feeling_away', sa.String(length=64), nullable=True),
    sa.Column('feeling_now', sa.String(length=64), nullable=True),
    sa.Column('hurt', sa.String(length=64), nullable=True),
    sa.Column('advocate_requested', sa.Boolean(), nullable=True),
    sa.Column('advocate_requested_at', sa.DateTime(), nullable=True),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('question_states', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'], name=op.f('fk_self_reports_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_self_reports_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_versions.id'], name=op.f('fk_self_reports_questionnaire_version_id_questionnaire_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reports')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_self_reports_interview_id'))
    )
    with op.batch_alter_table('self_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reports_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_reports_rev'), ['rev'], unique=False)

    op.create_table('self_report_codes',
    sa.Column('self_report_id', sa.Uuid(), nullable=False),
    sa.Column('list_name', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['self_report_id'], ['self_reports.id'], name=op.f('fk_self_report_codes_self_report_id_self_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('self_report_id', 'list_name', 'code', name=op.f('pk_self_report_codes')),
    sqlite_with_rowid=False
    )


def downgrade():
    op.drop_table('self_report_codes')
    with op.batch_alter_table('self_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_reports_rev'))
        batch_op.drop_index(batch_op.f('ix_self_reports_organisation_id'))

    op.drop_table('self_reports')
