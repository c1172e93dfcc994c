"""commissioner areas: which areas' figures each commissioner may read in the annual report

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commissioner_areas',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_commissioner_areas_area_code_areas')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_commissioner_areas_person_id_people')),
    sa.PrimaryKeyConstraint('person_id', 'area_code', name=op.f('pk_commissioner_areas'))
    )


def downgrade():
    op.drop_table('commissioner_areas')
