"""The audit trail: who read or changed which record, and when. It imports only core, so that
the API, sync, sign-in and every capability can write to it."""
