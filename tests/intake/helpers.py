"""Steps of the intake as a supervisor's browser takes them, through the real pages: each form
posted with the page's CSRF token and the answers the page carries on."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
NOTICE = {"notified_by": "police", "notified_date": "2026-03-02", "notified_time": "09:30",
          "returned_date": "2026-03-02", "returned_time": "08:00"}
EPISODE = {"reported_date": "2026-03-01", "reported_time": "10:00", "risk_grade": "medium",
           "return_method": "found", "reporting_force_code": "W15000002",
           "where_found": "At a friend's house"}


def token(client, lang: str = "en") -> str:
    page = client.get(f"/intake/new?lang={lang}")
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def hidden_fields(html: str) -> dict:
    """The hidden answers a page carries on to its next step (the CSRF token among them)."""
    return {name: unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


def search(client, lang: str = "en", **answers):
    """The first step posted: the notice (NOTICE unless changed) and the search."""
    form = {"csrf_token": token(client, lang), **NOTICE, **answers}
    return client.post(f"/intake/new?lang={lang}", data=form)


def choose(client, candidates_page, child: str, lang: str = "en"):
    """The second step: a child chosen from the candidates (an id) or "new"."""
    return client.post(f"/intake/new/child?lang={lang}",
                       data=hidden_fields(candidates_page.text) | {"child": child})


def save(client, episode_page, lang: str = "en", **answers):
    return client.post(f"/intake/new/save?lang={lang}",
                       data=hidden_fields(episode_page.text) | EPISODE | answers)


def local_tomorrow() -> tuple[str, str]:
    tomorrow = datetime.now(LONDON) + timedelta(days=1)
    return tomorrow.date().isoformat(), "10:00"
