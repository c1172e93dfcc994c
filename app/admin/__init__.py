"""The admin's pages: the organisation's people and teams, and invitations to join it."""
