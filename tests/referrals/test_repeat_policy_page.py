"""The admin's page of repeat-episode policies (/admin/repeat-policies): each police force area
with the rules' default and the organisation's choice, changed and reset from the page, and the
rules the organisation's tablets are sent follow it; only an admin, and only of their own
organisation, reads or changes it."""

import html
import re

from sqlalchemy import select

from app.referrals.models import RepeatPolicyChoice
from app.referrals.policies import policies_by_area, rules_for
from tests.admin.helpers import audited, post_form

PAGE = "/admin/repeat-policies"
SOUTH_WALES, GWENT = "W15000003", "W15000002"


def row_of(text: str, area: str) -> str:
    """The table row whose heading is the area's name."""
    match = re.search(r"<tr>\s*<th scope=\"row\"[^>]*>" + re.escape(area) + r"</th>(.*?)</tr>",
                      text, re.S)
    assert match, f"no row for {area}"
    return html.unescape(match.group(1))


def choose(client, force, policy, lang="en"):
    return post_form(client, f"{PAGE}?lang={lang}",
                     {"police_force_code": force, "policy": policy}, page=f"{PAGE}?lang={lang}")


def choices(session, organisation_id) -> dict:
    session.expire_all()
    return dict(session.execute(select(RepeatPolicyChoice.police_force_code,
                                       RepeatPolicyChoice.policy)
                                .where(RepeatPolicyChoice.organisation_id == organisation_id)).all())


def test_the_admin_sees_the_defaults_changes_one_and_resets_it(session, world, as_person):
    admin = as_person(world.admin)
    page = admin.get(f"{PAGE}?lang=en")
    assert page.status_code == 200
    gwent = row_of(page.text, "Gwent Police")
    assert "Gwent's policy" in gwent and "None: the rules' default" in gwent
    south = row_of(page.text, "South Wales Police")
    assert "<td>No repeat-episode policy</td>" in south
    assert "England's guidance" in row_of(page.text, "Metropolitan Police")
    assert "No repeat-episode policy" in row_of(page.text, "Any other area")
    assert ("read", world.admin.id) in audited(session, "repeat_policy_choices")

    saved = choose(admin, SOUTH_WALES, "dyfed_powys")
    assert saved.status_code == 302
    after = admin.get(saved.headers["Location"])
    assert '<p class="notice" role="status">Saved</p>' in after.text
    south = row_of(after.text, "South Wales Police")
    assert "<td>Dyfed-Powys's policy: a discussion after 3 episodes in 12 months</td>" in south
    assert '<option value="dyfed_powys" selected>' in south
    assert ("update", world.admin.id) in audited(session, "repeat_policy_choices")
    # What the organisation's tablets are sent as the suggestion rules, and another's.
    assert rules_for(session, world.org_a.id)["policies_by_area"][SOUTH_WALES] == "dyfed_powys"
    assert SOUTH_WALES not in rules_for(session, world.org_b.id)["policies_by_area"]

    assert choose(admin, "*", "england").status_code == 302
    assert rules_for(session, world.org_a.id)["policies_by_area"]["*"] == "england"

    reset = choose(admin, SOUTH_WALES, "")
    assert reset.status_code == 302
    assert choices(session, world.org_a.id) == {"*": "england"}
    assert SOUTH_WALES not in policies_by_area(session, world.org_a.id)
    assert "None: the rules' default" in row_of(admin.get(PAGE).text, "South Wales Police")


def test_the_page_in_welsh(session, world, as_person):
    admin = as_person(world.admin)
    page = admin.get(f"{PAGE}?lang=cy")
    assert page.status_code == 200
    assert ">Cadw<" in row_of(page.text, "Heddlu De Cymru")
    saved = choose(admin, GWENT, "england", lang="cy")
    assert saved.status_code == 302
    assert "Wedi'i gadw" in html.unescape(admin.get(saved.headers["Location"]).text)


def test_a_refusal_shows_the_services_words_and_saves_nothing(session, world, as_person):
    admin = as_person(world.admin)
    refused = choose(admin, GWENT, "scotland")
    assert refused.status_code == 422
    assert "There is a problem" in html.unescape(refused.text)
    assert '<a href="#policy-W15000002">There is no repeat-episode policy of that name.</a>' \
        in html.unescape(refused.text)
    unknown = choose(admin, "X99", "gwent")
    assert unknown.status_code == 422
    assert '<a href="#repeat-policies">There is no police force area with that code.</a>' \
        in html.unescape(unknown.text)
    welsh = choose(admin, GWENT, "scotland", lang="cy")
    assert welsh.status_code == 422
    assert "Does dim polisi ar gyfer mynd ar goll dro ar ôl tro o'r enw hwnnw." in html.unescape(welsh.text)
    assert choices(session, world.org_a.id) == {}
    assert ("update", world.admin.id) not in audited(session, "repeat_policy_choices")


def test_only_admins_see_or_change_it(app, session, world, as_person):
    for role in ("supervisor", "worker", "commissioner"):
        person = as_person(getattr(world, role))
        assert person.get(PAGE).status_code == 403
        refused = person.post(PAGE, data={"police_force_code": SOUTH_WALES, "policy": "england"})
        assert refused.status_code in (400, 403)
    signed_out = app.test_client().get(PAGE)
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]
    assert choices(session, world.org_a.id) == {}


def test_another_organisations_choices_are_never_shown_or_changed(session, world, as_person):
    session.add(RepeatPolicyChoice(organisation_id=world.org_b.id, police_force_code=SOUTH_WALES,
                                   policy="gwent"))
    session.commit()
    admin = as_person(world.admin)
    south = row_of(admin.get(PAGE).text, "South Wales Police")
    assert "Gwent's policy" not in south.split("<form")[0]
    assert choose(admin, SOUTH_WALES, "england").status_code == 302
    assert choices(session, world.org_b.id) == {SOUTH_WALES: "gwent"}
    assert choices(session, world.org_a.id) == {SOUTH_WALES: "england"}
