"""pull continuations: the cursor a device was last given with more pages waiting, and when, so
that the pages of one pull settle which cases leave the tablet once, whichever process serves them

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 09:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('continuing_cursor', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('continuing_at', sa.DateTime(), nullable=True))


def downgrade():
    # Dropped in place, as 0016 does: refresh tokens and sync results point at the table's rows.
    with op.batch_alter_table('devices', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('continuing_at')
        batch_op.drop_column('continuing_cursor')
