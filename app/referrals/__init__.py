"""Referrals: what the record suggests after a return interview (suggesting.py, data/), the
referrals made and the Active Offer of advocacy, synced and followed up."""
