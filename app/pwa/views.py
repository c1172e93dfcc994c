"""Routes of the installable app."""

from flask import Blueprint, current_app, render_template, send_file

from app.pwa.shell import SERVICE_WORKER, STATIC, asset_url, precache_manifest, shell_version

pwa_blueprint = Blueprint("pwa", __name__)


def _shell_html() -> str:
    return render_template("pwa/shell.html", asset_url=asset_url, version=shell_version())


@pwa_blueprint.get("/app")
def shell():
    response = current_app.make_response(_shell_html())
    response.headers["Cache-Control"] = "no-cache"
    return response


@pwa_blueprint.get("/app/precache.json")
def precache():
    response = current_app.make_response(precache_manifest())
    response.headers["Cache-Control"] = "no-store"
    return response


@pwa_blueprint.get("/sw.js")
def service_worker():
    # At the root so that its scope is the whole site; never cached by the browser, so that a
    # release is noticed on the next visit.
    response = send_file(SERVICE_WORKER, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@pwa_blueprint.get("/favicon.ico")
def favicon():
    # Browsers ask for it at the root whatever a page names: the app's icon, kept for a day.
    return send_file(STATIC / "icons" / "icon-192.png", mimetype="image/png", max_age=86400)


@pwa_blueprint.get("/manifest.webmanifest")
def manifest():
    body = {
        "name": "Adref",
        "short_name": "Adref",
        "description": "Cyfweliadau dychwelyd adref / Return interviews",
        "lang": "cy",
        "dir": "ltr",
        "start_url": "/app",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1d5a6c",
        "background_color": "#ffffff",
        "icons": [
            {"src": asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": asset_url("icons/maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = current_app.make_response(body)
    response.mimetype = "application/manifest+json"
    return response
