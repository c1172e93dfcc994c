"""The young person's own section of a return interview (issue 21)."""
