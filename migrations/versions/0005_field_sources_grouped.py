"""field_sources stored as groups of fields sharing a revision and source

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Every table of records that devices write (DeviceWritable).
TABLES = ('children', 'missing_episodes', 'return_interviews', 'interview_attempts')
ROWS_AT_ONCE = 1000
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    # {field: [revision, source]} becomes [[revision, source, [field, ...]], ...]: the same
    # facts, each device id written once per change rather than once per field. (Written out
    # here rather than imported, so that this migration keeps doing what it did when the
    # application's code moves on.)
    def grouped(sources):
        groups = {}
        for name, (revision, source) in (sources or {}).items():
            groups.setdefault((revision, source), []).append(name)
        return [[revision, source, names] for (revision, source), names in groups.items()]

    _rewrite(grouped)


def downgrade():
    _rewrite(lambda groups: {name: [revision, source]
                             for revision, source, names in groups or [] for name in names})


def _rewrite(convert):
    connection = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column('id', sa.Uuid()), sa.column('field_sources', JSON))
        after = None
        while True:
            # Page by id, so that a large table is never held in memory at once.
            query = sa.select(table.c.id, table.c.field_sources).order_by(table.c.id)
            if after is not None:
                query = query.where(table.c.id > after)
            rows = connection.execute(query.limit(ROWS_AT_ONCE)).all()
            if not rows:
                break
            connection.execute(
                table.update().where(table.c.id == sa.bindparam('row_id'))
                .values(field_sources=sa.bindparam('converted', type_=JSON)),
                [{'row_id': row.id, 'converted': convert(row.field_sources)} for row in rows])
            after = rows[-1].id
