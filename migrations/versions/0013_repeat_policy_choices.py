"""repeat policy choices: which repeat-episode policy an organisation follows in a police force
area, laid over the suggestion rules' defaults

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('repeat_policy_choices',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('police_force_code', sa.String(length=16), nullable=False),
    sa.Column('policy', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_repeat_policy_choices_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('organisation_id', 'police_force_code', name=op.f('pk_repeat_policy_choices'))
    )


def downgrade():
    op.drop_table('repeat_policy_choices')
