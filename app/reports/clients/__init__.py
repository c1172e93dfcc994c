"""Machine access to the annual figures: a commissioner's system (a report client) takes a
short-lived token by OAuth2 client credentials (POST /oauth/token) and reads the suppressed
annual aggregates of its areas (GET /api/v1/reports/annual). Admins register and revoke clients
(/admin/report-clients).

Kept under reports/ rather than a package of its own: a client exists only to read the report,
and everything it is served (figures, suppression, measures, labels) lives beside it."""
