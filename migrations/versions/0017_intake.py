"""intake: children's folded names (for the duplicate check and the search), and the return
notice and the child's wish about their worker on each missing episode

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:45:00.000000

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _folded_name(given_name, family_name) -> str:
    """app.cases.models.folded_name as it stands today, copied so that this migration does what
    it did whatever the app's code comes to be."""
    text = f"{given_name or ''} {family_name or ''}".strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))[:255]


def upgrade():
    # Columns added in place, never by rebuilding a table: SQLite cannot rebuild children or
    # missing_episodes while other tables' rows refer to theirs (foreign keys are on).
    op.add_column('children', sa.Column('name_folded', sa.String(length=255),
                                        server_default=sa.text("''"), nullable=False))
    _fill_folded_names()
    op.create_index(op.f('ix_children_name_folded'), 'children', ['name_folded'], unique=False)
    op.add_column('missing_episodes', sa.Column('notified_by', sa.String(length=32), nullable=True))
    op.add_column('missing_episodes', sa.Column('notified_at', sa.DateTime(), nullable=True))
    op.add_column('missing_episodes', sa.Column('worker_wish', sa.String(length=16), nullable=True))


def _fill_folded_names(batch_size: int = 1000) -> None:
    """Folded in Python (the folding is Unicode's, not the database's), a batch at a time."""
    connection = op.get_bind()
    children = sa.table('children', sa.column('id', sa.Uuid()), sa.column('given_name'),
                        sa.column('family_name'), sa.column('name_folded'))
    rows = connection.execute(sa.select(children.c.id, children.c.given_name,
                                        children.c.family_name)).all()
    for start in range(0, len(rows), batch_size):
        connection.execute(
            children.update().where(children.c.id == sa.bindparam('child_id'))
            .values(name_folded=sa.bindparam('folded')),
            [{'child_id': child_id, 'folded': _folded_name(given, family)}
             for child_id, given, family in rows[start:start + batch_size]])


def downgrade():
    # Dropped in place (SQLite 3.35 and later), for the same reason.
    op.drop_column('missing_episodes', 'worker_wish')
    op.drop_column('missing_episodes', 'notified_at')
    op.drop_column('missing_episodes', 'notified_by')
    op.drop_index(op.f('ix_children_name_folded'), table_name='children')
    op.drop_column('children', 'name_folded')
