"""sync rejections keep their errors in each language of the service

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    # {language: {field: [message, ...]}}. Rows kept before have none: they are shown with
    # `errors`, in the language of the push that was refused, as before.
    with op.batch_alter_table('sync_rejections') as batch:
        batch.add_column(sa.Column('errors_by_language', JSON, nullable=True))


def downgrade():
    with op.batch_alter_table('sync_rejections') as batch:
        batch.drop_column('errors_by_language')
