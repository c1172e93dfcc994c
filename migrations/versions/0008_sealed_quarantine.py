"""sealed quarantine: tablets' sealed copies of unsent changes, handed in after a wipe, waiting
for a supervisor to apply or discard them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sealed_quarantine',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('mutation_id', sa.BigInteger(), nullable=False),
    sa.Column('sealed', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_sealed_quarantine_decided_by_id_people')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sealed_quarantine_device_id_devices')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sealed_quarantine_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_quarantine')),
    sa.UniqueConstraint('device_id', 'mutation_id', name=op.f('uq_sealed_quarantine_device_id'))
    )
    with op.batch_alter_table('sealed_quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_quarantine_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sealed_quarantine_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    op.drop_table('sealed_quarantine')
