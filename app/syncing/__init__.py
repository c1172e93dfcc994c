"""The server side of offline sync: the SQLAlchemy Store for the framework-free engine in sync/,
the collections devices may write, conflicts and rejections kept for people to resolve."""
