"""Referrals: what the record suggests a worker do after a return interview (suggesting.py, data/)."""
