"""Reports and exports: what the service's records add up to, in the reader's language."""
