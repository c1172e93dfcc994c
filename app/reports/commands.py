"""`flask report annual`: the annual report and its open data written to a file, for a
scheduler. Whatever it writes is published, so it is suppressed as every export is; it holds
the figures alone, never the incidents (no person asks for them, so no one answers for them in
the audit trail)."""

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from app.auth.models import Organisation
from app.core.errors import ValidationFailed
from app.extensions import db
from app.reports.facts import Scope
from app.reports.labels import Labels
from app.reports.open_data import figures_zip, narrowed, open_data_sqlite, published_report
from app.reports.pages import report_html
from app.reports.query import report_query

report_commands = AppGroup("report", help="The annual report.")


def _organisation(name: str | None) -> Organisation:
    """The organisation named, or the only one there is."""
    if name is not None:
        found = db.session.scalars(select(Organisation).where(Organisation.name == name)).first()
        if found is None:
            raise click.UsageError(f"No organisation is named {name!r}.")
        return found
    every = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    if len(every) != 1:
        names = ", ".join(repr(o.name) for o in every) or "none yet"
        raise click.UsageError(f"Name the organisation with --organisation (there are: {names}).")
    return every[0]


def _period(year: int | None, first: str | None, last: str | None):
    """The period asked for, read as the pages and the API read theirs."""
    with force_locale("en"):
        asked = report_query({"year": str(year) if year is not None else "",
                              "from": first or "", "to": last or ""})
        if asked.errors:
            raise click.UsageError(" ".join(
                f"--{name}: {message}" for name, messages in asked.errors.items()
                for message in messages))
    return asked.period


@report_commands.command("annual")
@click.option("--year", type=int, help="The calendar year (default: the last whole year).")
@click.option("--from", "first", metavar="DATE", help="The first day (YYYY-MM-DD), with --to.")
@click.option("--to", "last", metavar="DATE", help="The last day (YYYY-MM-DD), with --from.")
@click.option("--area", "areas", multiple=True, metavar="CODE",
              help="Only incidents placed in this area (a GSS code; repeat for several).")
@click.option("--organisation", help="The organisation's name (default: the only one).")
@click.option("--language", type=click.Choice(["en", "cy"]), default="en", show_default=True,
              help="The language of the report, or of the CSVs' names and words.")
@click.option("--format", "kind", type=click.Choice(["html", "csv", "sqlite"]), required=True,
              help="html: the printable report; csv: a zip of CSVs with their data dictionary; "
                   "sqlite: a file for Datasette.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The file to write (replaced if it is there).")
def annual_command(year, first, last, areas, organisation, language, kind, output):
    """Write the annual report's figures, small counts suppressed as published."""
    period = _period(year, first, last)
    found = _organisation(organisation)
    try:
        scope = narrowed(db.session, Scope(found.id), areas)
    except ValidationFailed:
        raise click.UsageError(f"--area: not a known area code among {', '.join(areas)}.") \
            from None
    report = published_report(db.session, scope, period)
    labels = Labels(db.session, found.id, language)
    if kind == "html":
        with open(output, "w", encoding="utf-8") as document:
            document.write(report_html(report, labels, published=True))
    elif kind == "csv":
        figures_zip(report, labels, output, incidents=False)
    else:
        open_data_sqlite(db.session, report, output, incidents=False)
    db.session.rollback()  # nothing was written to the database
    click.echo(f"Wrote {output}: {found.name}, {period.first_day} to {period.last_day}.")
