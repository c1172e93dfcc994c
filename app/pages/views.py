from flask import Blueprint, render_template

pages_blueprint = Blueprint("pages", __name__)


@pages_blueprint.get("/")
def landing():
    return render_template("pages/landing.html")


def html_error_page(error):
    return render_template("pages/error.html", error=error), error.code or 500
