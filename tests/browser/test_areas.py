"""Areas on the tablet, in real Chromium: a child's placing and host authorities and an
episode's police force chosen from the areas list (Wales's first, then those outside Wales),
synced to the server; an area of the wrong kind refused on its field before it is queued; a
child's details changed on the tablet, only what changed sent; and out of area, worked out by
the server, shown on the child's page."""

import json

from playwright.sync_api import expect

from tests.browser.steps import (
    children_named,
    click,
    episode_of,
    go_to,
    heading,
    status,
    sync_and_wait,
    waiting,
)

AUTHORITY_REFUSED = "Choose the placing authority from the list of local authorities."


def summary(page, label):
    """What the child's page shows for that label."""
    return page.locator(f"dl.summary dt:text-is('{label}') + dd")


def groups_of(page, field):
    """The groups of a list's choices, each with its choices' names, in order."""
    return page.locator(f"#{field}").evaluate("""(select) => [...select.querySelectorAll(
      "optgroup")].map((group) => [group.label, [...group.children].map((o) => o.textContent)])""")


def pushed(request) -> list[dict]:
    return json.loads(request.post_data)["mutations"]


def test_a_child_and_an_episode_added_with_areas_reach_the_server_and_out_of_area_shows(
        tablet, session):
    page = tablet
    go_to(page, "#/children/new")
    authorities = dict(groups_of(page, "placing_authority_code"))
    assert list(authorities) == ["Wales", "Outside Wales"]
    assert len(authorities["Wales"]) == 22 and "Cardiff" in authorities["Wales"]
    assert "Shropshire" in authorities["Outside Wales"]
    # Known by its English name alone, so marked English (read aloud so on a Welsh screen).
    expect(page.locator("#host_authority_code option[value=E06000051]")).to_have_attribute(
        "lang", "en")
    page.locator("#given_name").fill("Gwion")
    page.locator("#family_name").fill("Area")
    page.get_by_role("group", name="Is the child looked after (in care)?").get_by_label(
        "Yes").check()
    page.get_by_label("Placing authority (responsible for the child)").select_option(
        label="Cardiff")
    page.get_by_label("Host authority (where the child lives)").select_option(label="Shropshire")
    click(page, "button", "Save")
    heading(page, "Gwion Area")
    expect(summary(page, "Placing authority")).to_have_text("Cardiff")
    expect(summary(page, "Host authority")).to_have_text("Shropshire")
    expect(summary(page, "Out of area")).to_have_text("Worked out once sent")

    click(page, "link", "Add a missing episode")
    forces = groups_of(page, "reporting_force_code")
    assert forces[0][0] == "Wales" and len(forces[0][1]) == 4
    assert forces[1][0] == "Outside Wales" and "West Mercia Police" in forces[1][1]
    page.locator("#reported_missing_at").fill("2026-03-01T10:00")
    page.get_by_label("Which police force was the child reported to?").select_option(
        label="West Mercia Police")
    page.get_by_label("Where was the child found? (if known)").fill("Gorsaf fysiau Amwythig")
    click(page, "button", "Save")

    sync_and_wait(page)
    expect(status(page)).to_contain_text(waiting(0))
    (child,) = children_named(session, "Gwion")
    assert (child.placing_authority_code, child.host_authority_code) == ("W06000015", "E06000051")
    episode = episode_of(session, child)
    assert episode.reporting_force_code == "E23000016"
    assert episode.where_found == "Gorsaf fysiau Amwythig"
    go_to(page, f"#/children/{child.id}")
    expect(summary(page, "Out of area")).to_have_text("Yes")


def test_an_area_of_the_wrong_kind_is_refused_on_its_field_and_nothing_is_queued(
        tablet, session, world):
    page = tablet
    go_to(page, f"#/children/{world.child.id}/edit")
    # A police force's code, as no list offers it for an authority (an old form, a bad copy).
    page.locator("#placing_authority_code").evaluate("""(select) => {
      select.append(new Option("North Wales Police", "W15000001"));
      select.value = "W15000001";
    }""")
    click(page, "button", "Save")
    heading(page, "Change the child's details")
    expect(page.locator(".error-summary")).to_contain_text(AUTHORITY_REFUSED)
    expect(page.locator("#placing_authority_code-error")).to_have_text(AUTHORITY_REFUSED)
    expect(page.locator("#placing_authority_code")).to_have_attribute("aria-invalid", "true")
    expect(status(page)).to_contain_text(waiting(0))
    (cerys,) = children_named(session, "Cerys")
    assert cerys.placing_authority_code == "W06000015"


def test_a_childs_details_changed_on_the_tablet_send_only_what_changed(tablet, session, world):
    page = tablet
    go_to(page, f"#/children/{world.child.id}")
    expect(summary(page, "Out of area")).to_have_text("Yes")  # Cardiff's child in Swansea
    click(page, "link", "Change the child's details")
    heading(page, "Change the child's details")
    expect(page.locator("#given_name")).to_have_value("Cerys")
    expect(page.locator("#host_authority_code")).to_have_value("W06000011")
    expect(page.get_by_role("group", name="Is the child looked after (in care)?")
           .get_by_label("Yes")).to_be_checked()
    page.locator("#family_name").fill("Prŷs")
    page.get_by_label("Host authority (where the child lives)").select_option(label="Cardiff")
    page.context.set_offline(True)
    click(page, "button", "Save")
    heading(page, "Cerys Prŷs")
    expect(summary(page, "Host authority")).to_have_text("Cardiff")
    expect(summary(page, "Out of area")).to_have_text("Worked out once sent")
    expect(status(page)).to_contain_text(waiting(1))

    with page.expect_request(lambda request: request.url.endswith("/sync/push")) as sent:
        page.context.set_offline(False)  # the app syncs by itself when the signal comes back
        sync_and_wait(page)
    (mutation,) = pushed(sent.value)
    assert mutation["fields"] == {"family_name": "Prŷs", "host_authority_code": "W06000015"}
    (cerys,) = children_named(session, "Cerys")
    assert (cerys.family_name, cerys.host_authority_code) == ("Prŷs", "W06000015")
    go_to(page, f"#/children/{world.child.id}")
    expect(summary(page, "Out of area")).to_have_text("No")
