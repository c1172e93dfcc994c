"""Server-rendered pages that belong to no single capability: the landing page, errors."""
