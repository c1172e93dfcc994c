"""Referrals and the Active Offer of advocacy: suggested, recorded, synced and followed up."""
