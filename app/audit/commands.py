"""`flask audit verify`: the audit trail's hash chain checked from its first event to its head."""

import click
from flask.cli import AppGroup

from app.audit.chain import verify_chain
from app.extensions import db

audit_commands = AppGroup("audit", help="The audit trail.")


@audit_commands.command("verify")
@click.option("--batch-size", default=5000, show_default=True,
              help="Events read at a time (never all at once).")
def verify_command(batch_size):
    """Check the whole chain (one for the service) in id order: exit code 1, naming the first
    row edited or where rows are missing, if it is broken."""
    verdict = verify_chain(db.session, batch_size)
    db.session.rollback()  # nothing was written; the read transaction ends here
    if verdict.intact:
        last = (f" (last row {verdict.last_id}, hash {verdict.last_hash})"
                if verdict.last_id is not None else "")
        click.echo(f"ok: {verdict.count} events, chain intact{last}")
        return
    click.echo(f"FAILED: {verdict.problem} ({verdict.count} events checked before it)", err=True)
    raise SystemExit(1)
