"""Flask commands: `flask --app wsgi load-reference`, `seed-demo`, `repeat-policy`,
`create-organisation`, `audit verify`, `report annual`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db


@click.command("load-reference")
@with_appcontext
def load_reference_command():
    """Load code lists, areas and questionnaire versions (safe to run again)."""
    from app.reference import load_reference_data

    counts = load_reference_data(db.session)
    db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add the demo organisation, people and cases (safe to run again)."""
    from app.demo import demo_password, seed_demo
    from app.reference import load_reference_data

    load_reference_data(db.session)
    password = demo_password(current_app.instance_path,
                             current_app.config.get("DEMO_PASSWORD"))
    accounts = seed_demo(db.session, password)
    db.session.commit()
    click.echo("Demo accounts (password: " + password + "):")
    for email, role, name in accounts:
        click.echo(f"  {role:<11} {email:<32} {name}")


@click.command("export-catalogs")
def export_catalogs_command():
    """Write the PWA's interface text (static/i18n/*.json) from the gettext catalogs."""
    from app.i18n import export_pwa_catalogs

    for path in export_pwa_catalogs():
        click.echo(f"Wrote {path}")


@click.command("repeat-policy")
@click.argument("organisation")
@click.argument("police_force_code")
@click.argument("policy", required=False)
@with_appcontext
def repeat_policy_command(organisation, police_force_code, policy):
    """Which repeat-episode policy ORGANISATION (by name) follows in a police force area (its
    code, or * for any area not named): gwent, dyfed_powys or england. With no POLICY, the
    area goes back to the suggestion rules' default."""
    from sqlalchemy import select

    from app.auth.models import Organisation
    from app.core.errors import ValidationFailed
    from app.referrals.policies import choose_policy, policies_by_area

    found = db.session.scalars(select(Organisation).where(Organisation.name == organisation)).first()
    if found is None:
        raise click.ClickException(f"No organisation is named {organisation!r}.")
    try:
        choose_policy(db.session, found.id, police_force_code, policy)
    except ValidationFailed as refused:
        words = " ".join(str(message) for messages in refused.errors.values() for message in messages)
        raise click.ClickException(words) from None
    db.session.commit()
    chosen = policies_by_area(db.session, found.id)
    click.echo(f"{organisation}: {police_force_code} follows {chosen.get(police_force_code) or 'no policy'}")


@click.command("create-organisation")
@click.argument("name")
@click.option("--admin-email", required=True, help="The first admin's e-mail address.")
@click.option("--admin-name", required=True, help="The first admin's name.")
@click.option("--team", "teams", multiple=True, help="A team to make (repeat for several).")
@click.option("--language", type=click.Choice(["cy", "en"]), default="en", show_default=True,
              help="The language of the first admin's invitation.")
@with_appcontext
def create_organisation_command(name, admin_email, admin_name, teams, language):
    """A real deployment's organisation, its teams and its first admin, who sets their password
    with the one-time link printed (no password ever passes through the command line)."""
    from app.admin.organisations import create_organisation
    from app.core.errors import ValidationFailed
    from app.core.types import utcnow

    try:
        made = create_organisation(db.session, name, admin_email, admin_name, teams, language,
                                   utcnow())
    except ValidationFailed as refused:
        db.session.rollback()
        words = " ".join(str(m) for messages in refused.errors.values() for m in messages)
        raise click.ClickException(words) from None
    db.session.commit()
    click.echo(f"Organisation {name!r} made" + (f", with teams: {', '.join(teams)}" if teams else "")
               + ".")
    click.echo(f"Its first admin, {admin_email}, sets their password with this one-time link "
               f"(put the server's address before it; it works once, for 7 days):")
    click.echo(f"  /invitations/{made.token}")
    if not made.reference_loaded:
        click.echo("No questionnaire is loaded yet: run `flask --app wsgi load-reference`.")


def register_commands(app) -> None:
    app.cli.add_command(create_organisation_command)
    from app.audit.commands import audit_commands

    app.cli.add_command(audit_commands)
    from app.reports.commands import report_commands

    app.cli.add_command(report_commands)
    app.cli.add_command(export_catalogs_command)
    app.cli.add_command(repeat_policy_command)
    app.cli.add_command(load_reference_command)
    app.cli.add_command(seed_demo_command)
