"""sync: devices, tokens, field sources, conflicts, rejections, removals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:40:15.594521

"""
import uuid

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sync_removals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('rev', sa.BigInteger(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('collection', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_removals'))
    )
    with op.batch_alter_table('sync_removals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_removals_rev'), ['rev'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_removals_scope'), ['scope'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=64), nullable=True),
    sa.Column('last_mutation_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_devices_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_devices_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_person_id'), ['person_id'], unique=False)

    op.create_table('refresh_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('spent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_refresh_tokens_device_id_devices')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_refresh_tokens'))
    )
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_tokens_device_id'), ['device_id'], unique=False)

    op.create_table('sync_conflicts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('collection', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('server_value', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    sa.Column('device_value', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('mutation_id', sa.BigInteger(), nullable=False),
    sa.Column('base_rev', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Uuid(), nullable=True),
    sa.Column('resolved_value', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_conflicts_device_id_devices')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sync_conflicts_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['people.id'], name=op.f('fk_sync_conflicts_resolved_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts'))
    )
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflicts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflicts_record_id'), ['record_id'], unique=False)

    op.create_table('sync_mutation_results',
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('mutation_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_mutation_results_device_id_devices')),
    sa.PrimaryKeyConstraint('device_id', 'mutation_id', name=op.f('pk_sync_mutation_results'))
    )
    op.create_table('sync_rejections',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('mutation_id', sa.BigInteger(), nullable=False),
    sa.Column('collection', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('errors', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_rejections_device_id_devices')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sync_rejections_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_rejections'))
    )
    with op.batch_alter_table('sync_rejections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_rejections_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_rejections_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False, server_default='{}'))
        # The default only fills the rows that exist; new rows get theirs from the app.
        batch_op.alter_column('field_sources', server_default=None)

    with op.batch_alter_table('interview_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False, server_default='{}'))
        # The default only fills the rows that exist; new rows get theirs from the app.
        batch_op.alter_column('field_sources', server_default=None)

    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False, server_default='{}'))
        # The default only fills the rows that exist; new rows get theirs from the app.
        batch_op.alter_column('field_sources', server_default=None)

    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_sources', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False, server_default='{}'))
        # The default only fills the rows that exist; new rows get theirs from the app.
        batch_op.alter_column('field_sources', server_default=None)

    with op.batch_alter_table('revision_counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('server_id', sa.String(length=36), nullable=True))
    # A random name for this database's revision sequence (sync cursors carry it).
    op.execute(sa.text("UPDATE revision_counter SET server_id = :sid").bindparams(sid=str(uuid.uuid4())))



def downgrade():
    with op.batch_alter_table('revision_counter', schema=None) as batch_op:
        batch_op.drop_column('server_id')

    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.drop_column('field_sources')

    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.drop_column('field_sources')

    with op.batch_alter_table('interview_attempts', schema=None) as batch_op:
        batch_op.drop_column('field_sources')

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('field_sources')

    with op.batch_alter_table('sync_rejections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_rejections_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sync_rejections_device_id'))

    op.drop_table('sync_rejections')
    op.drop_table('sync_mutation_results')
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflicts_record_id'))
        batch_op.drop_index(batch_op.f('ix_sync_conflicts_organisation_id'))

    op.drop_table('sync_conflicts')
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_tokens_device_id'))

    op.drop_table('refresh_tokens')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_person_id'))
        batch_op.drop_index(batch_op.f('ix_devices_organisation_id'))

    op.drop_table('devices')
    with op.batch_alter_table('sync_removals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_removals_scope'))
        batch_op.drop_index(batch_op.f('ix_sync_removals_rev'))

    op.drop_table('sync_removals')
