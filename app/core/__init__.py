"""Pieces every capability shares: column types, record mixins, the revision counter, errors."""
