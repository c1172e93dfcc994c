"""What the store's Core INSERTs rely on to write what the ORM's bulk insert wrote."""

from app.syncing.collections import COLLECTIONS


def test_no_field_a_device_writes_takes_null_where_its_column_has_a_default():
    """A Core INSERT writes None as NULL, where the ORM's bulk insert left such a column to its
    default: the two agree only while the schemas refuse null for every such field."""
    for spec in COLLECTIONS.values():
        for column in spec.model.__table__.columns:
            field = spec.schema.fields.get(column.key)
            if column.key in spec.all_fields and column.default is not None:
                assert field is not None and not field.allow_none, (spec.name, column.key)
