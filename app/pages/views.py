from flask import Blueprint, g, render_template
from flask_babel import ngettext

from app.core.types import utcnow
from app.extensions import db
from app.i18n import full_date
from app.pages.services import case_count

pages_blueprint = Blueprint("pages", __name__)


@pages_blueprint.get("/")
def landing():
    summary = None
    if g.person is not None:
        count = case_count(db.session, g.person)
        summary = ngettext("You can see %(num)d child's case.", "You can see %(num)d children's cases.",
                           count)
    return render_template("pages/landing.html", case_summary=summary,
                           today=full_date(utcnow()))


def html_error_page(error):
    return render_template("pages/error.html", error=error), error.code or 500
