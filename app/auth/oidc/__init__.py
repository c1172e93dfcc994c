"""Sign-in with an organisation's own OpenID Connect provider: its settings (models.py, set by
the admin's page through settings.py), the flow (services.py) and its pages (views.py)."""
