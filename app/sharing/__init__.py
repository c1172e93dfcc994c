"""The interview's report for those who care for the child, and who received it."""
