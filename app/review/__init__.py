"""Review of interviews and the audit trail of who read or changed a child's record."""
