"""interview_codes keyed by (interview_id, list_name, code), WITHOUT ROWID on SQLite

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # The unique constraint already held the three columns unique, so every row keeps its key.
    # On SQLite the table is made anew (batch mode), as WITHOUT ROWID; PostgreSQL alters it.
    with op.batch_alter_table('interview_codes', recreate='auto',
                              table_kwargs={'sqlite_with_rowid': False}) as batch_op:
        batch_op.drop_constraint('uq_interview_codes_interview_id', type_='unique')
        batch_op.drop_column('id')
        batch_op.create_primary_key('pk_interview_codes', ['interview_id', 'list_name', 'code'])


def downgrade():
    # Back to numbered rows beside a unique index; the rows are numbered afresh.
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('pk_interview_codes', 'interview_codes', type_='primary')
        op.execute("ALTER TABLE interview_codes ADD COLUMN id SERIAL")
        op.create_primary_key('pk_interview_codes', 'interview_codes', ['id'])
        op.create_unique_constraint('uq_interview_codes_interview_id', 'interview_codes',
                                    ['interview_id', 'list_name', 'code'])
    else:
        op.create_table('interview_codes_numbered',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('interview_id', sa.Uuid(), nullable=False),
        sa.Column('list_name', sa.String(length=64), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['interview_id'], ['return_interviews.id'],
                                name='fk_interview_codes_interview_id_return_interviews',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_interview_codes'),
        sa.UniqueConstraint('interview_id', 'list_name', 'code',
                            name='uq_interview_codes_interview_id'),
        )
        op.execute("INSERT INTO interview_codes_numbered (interview_id, list_name, code) "
                   "SELECT interview_id, list_name, code FROM interview_codes "
                   "ORDER BY interview_id, list_name, code")
        op.drop_table('interview_codes')
        op.rename_table('interview_codes_numbered', 'interview_codes')
