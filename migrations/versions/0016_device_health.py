"""device health: what a tablet reports of itself on every contact (its unsent changes, its app
version, when), and the indexes of the supervisor's board

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsent_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('app_version', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(), nullable=True))
    op.create_index('ix_missing_episodes_returned_at', 'missing_episodes', ['returned_at'])
    op.create_index('ix_return_interviews_status', 'return_interviews', ['status'])
    op.create_index('ix_referrals_status', 'referrals', ['status'])
    op.create_index('ix_sync_conflicts_resolved_at', 'sync_conflicts', ['resolved_at'])


def downgrade():
    op.drop_index('ix_sync_conflicts_resolved_at', table_name='sync_conflicts')
    op.drop_index('ix_referrals_status', table_name='referrals')
    op.drop_index('ix_return_interviews_status', table_name='return_interviews')
    op.drop_index('ix_missing_episodes_returned_at', table_name='missing_episodes')
    # Dropped in place (SQLite 3.35 and later can): copying the table afresh, as batch mode
    # would, is refused while refresh tokens and sync results point at its rows.
    with op.batch_alter_table('devices', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reported_at')
        batch_op.drop_column('app_version')
        batch_op.drop_column('unsent_count')
