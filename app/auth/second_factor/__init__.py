"""The second factor of local accounts: its tables (models.py), what it does (services.py),
and its pages (views.py)."""
