"""audit chain: each audit event's network address, a short detail, and its place in a hash
chain (the previous event's hash and its own); the chain's head; the events there already
chained in id order

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from app.audit.chain import GENESIS, HEAD_ID, event_hash

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    _chain_existing_events()


def _chain_existing_events():
    """The events written before the chain, chained in id order, a batch at a time."""
    events = sa.table('audit_events', sa.column('id', sa.BigInteger), sa.column('at', sa.DateTime),
                      sa.column('organisation_id', sa.Uuid), sa.column('person_id', sa.Uuid),
                      sa.column('action', sa.String), sa.column('collection', sa.String),
                      sa.column('record_id', sa.Uuid), sa.column('prev_hash', sa.String),
                      sa.column('hash', sa.String))
    connection = op.get_bind()
    last_id, last_hash, count = None, GENESIS, 0
    while True:
        query = sa.select(events).order_by(events.c.id).limit(BATCH)
        if last_id is not None:
            query = query.where(events.c.id > last_id)
        rows = connection.execute(query).all()
        if not rows:
            break
        changes = []
        for row in rows:
            digest = event_hash(row.id, row.at, row.organisation_id, row.person_id, row.action,
                                row.collection, row.record_id, None, None, last_hash)
            changes.append({"row_id": row.id, "prev": last_hash, "digest": digest})
            last_id, last_hash = row.id, digest
        connection.execute(events.update().where(events.c.id == sa.bindparam("row_id"))
                           .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")),
                           changes)
        count += len(rows)
    if count:
        head = sa.table('audit_chain_head', sa.column('id', sa.Integer),
                        sa.column('last_id', sa.BigInteger), sa.column('last_hash', sa.String),
                        sa.column('count', sa.BigInteger))
        connection.execute(head.insert().values(id=HEAD_ID, last_id=last_id,
                                                last_hash=last_hash, count=count))


def downgrade():
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('detail')
        batch_op.drop_column('address')
