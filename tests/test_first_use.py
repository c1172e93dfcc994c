"""What a worker meets on first use, on the server's side: the browser's icon, the way from the
landing page into the tablet app, and no sign-in form for someone already signed in."""

from pathlib import Path

ICON = Path(__file__).resolve().parents[1] / "static" / "icons" / "icon-192.png"


def test_favicon_is_the_apps_icon_and_may_be_kept(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == ICON.read_bytes()
    assert "max-age=86400" in response.headers["Cache-Control"]


def test_a_signed_in_worker_has_a_way_into_the_tablet_app(world, as_person):
    page = as_person(world.worker).get("/?lang=en")
    assert '<a class="button" href="/app">Open the tablet app</a>' in page.text
    page = as_person(world.worker).get("/?lang=cy")
    assert '<a class="button" href="/app">Agor yr ap llechen</a>' in page.text


def test_only_those_who_work_on_cases_are_offered_the_tablet_app(world, as_person, client):
    assert 'href="/app"' not in as_person(world.commissioner).get("/?lang=en").text
    assert 'href="/app"' not in client.get("/?lang=en").text


def test_the_sign_in_form_sends_someone_signed_in_on_their_way(world, as_person):
    signed_in = as_person(world.worker)
    response = signed_in.get("/sign-in?lang=en&next=/app")
    assert response.status_code == 302 and response.headers["Location"] == "/app"
    response = signed_in.get("/sign-in?lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_another_worker_may_sign_in_over_the_last_on_a_shared_tablet(world, as_person):
    page = as_person(world.worker).get("/sign-in?lang=en&next=/app&another=1")
    assert page.status_code == 200
    assert 'id="email"' in page.text and 'name="next" value="/app"' in page.text
