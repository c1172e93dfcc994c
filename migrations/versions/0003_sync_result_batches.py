"""sync results kept one row per push; interview_codes without a redundant index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Each result kept so far becomes a push of its own: its range is that one mutation id.
ROWS_TO_BATCHES = {
    "sqlite": "SELECT device_id, mutation_id, mutation_id, json_array(json(result)) "
              "FROM sync_mutation_results",
    "postgresql": "SELECT device_id, mutation_id, mutation_id, jsonb_build_array(result) "
                  "FROM sync_mutation_results",
}
BATCHES_TO_ROWS = {
    "sqlite": "SELECT device_id, json_extract(value, '$.mutation_id'), json(value) "
              "FROM sync_result_batches, json_each(results)",
    "postgresql": "SELECT device_id, (value->>'mutation_id')::bigint, value "
                  "FROM sync_result_batches, jsonb_array_elements(results)",
}


def upgrade():
    op.create_table('sync_result_batches',
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('last_mutation_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('first_mutation_id', sa.BigInteger(), nullable=False),
    sa.Column('results', JSON, nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_result_batches_device_id_devices')),
    sa.PrimaryKeyConstraint('device_id', 'last_mutation_id', name=op.f('pk_sync_result_batches'))
    )
    op.execute("INSERT INTO sync_result_batches "
               "(device_id, first_mutation_id, last_mutation_id, results) "
               + ROWS_TO_BATCHES[op.get_bind().dialect.name])
    op.drop_table('sync_mutation_results')

    # The unique constraint on (interview_id, list_name, code) has an index that serves every
    # lookup by interview_id.
    with op.batch_alter_table('interview_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_codes_interview_id'))


def downgrade():
    with op.batch_alter_table('interview_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_codes_interview_id'), ['interview_id'], unique=False)

    op.create_table('sync_mutation_results',
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('mutation_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('result', JSON, nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_mutation_results_device_id_devices')),
    sa.PrimaryKeyConstraint('device_id', 'mutation_id', name=op.f('pk_sync_mutation_results'))
    )
    op.execute("INSERT INTO sync_mutation_results (device_id, mutation_id, result) "
               + BATCHES_TO_ROWS[op.get_bind().dialect.name])
    op.drop_table('sync_result_batches')
