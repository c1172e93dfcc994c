"""Setting a tablet up, in Welsh, in real Chromium: the active offer, sign-in online, enrolment,
choosing a passcode (with the GOV.UK error pattern), then opening the app with the passcode,
also with the network off. The tokens are kept encrypted: IndexedDB holds none in plain."""

from playwright.sync_api import expect

from tests.browser.steps import (
    PASSCODE,
    RAW_STORAGE,
    children_listed,
    children_named,
    choose_passcode,
    device_of,
    heading,
    holds_no_token,
    open_the_app,
    set_up_tablet,
    sign_in,
    status,
    try_passcode,
    violations,
)


def test_a_worker_sets_up_a_tablet_in_welsh_and_opens_it_offline(
        live_server, context, page, world, session):
    open_the_app(page, live_server)
    page.get_by_role("button", name="Cymraeg").click()
    heading(page, "Gosod y llechen hon")
    page.get_by_role("link", name="Mewngofnodi").click()
    sign_in(page, world.worker)

    heading(page, "Dewiswch god mynediad")
    expect(page.get_by_role("button", name="Cadw'r cod mynediad")).to_be_visible()
    choose_passcode(page, "byr")
    expect(page.locator(".error-summary")).to_contain_text("Mae problem")
    expect(page.locator("#passcode-error")).to_have_text("Defnyddiwch o leiaf 8 nod")
    assert violations(page) == []
    choose_passcode(page, "cod hir iawn 1", again="cod hir iawn 2")
    expect(page.locator("#passcode-again-error")).to_have_text("Nid yw'r ddau god yr un fath")
    choose_passcode(page, "cod hir iawn 1")
    heading(page, "Eich plant")

    assert device_of(session, world.worker).revoked_at is None  # one tablet, in use
    raw = page.evaluate(RAW_STORAGE)
    assert holds_no_token(raw) and world.worker.email not in raw

    context.set_offline(True)
    page.reload()
    heading(page, "Rhowch eich cod mynediad")
    try_passcode(page, "nid hwn yw e")
    expect(page.locator("#passcode-error")).to_have_text(
        "Nid yw'r cod mynediad yn gywir. 4 cynnig ar ôl cyn i'r data ar y llechen hon gael eu "
        "dileu.")
    assert violations(page) == []
    try_passcode(page, "cod hir iawn 1")
    heading(page, "Eich plant")


def test_the_set_up_screen_signs_in_and_comes_back(live_server, page):
    open_the_app(page, live_server)
    page.get_by_role("button", name="English").click()
    heading(page, "Set up this tablet")
    expect(page.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", "/sign-in?lang=en&next=/app")


def test_five_wrong_passcodes_erase_the_data_after_counted_warnings(live_server, page, world):
    set_up_tablet(page, live_server, world)
    page.reload()
    # Welsh plural forms, from Intl.PluralRules("cy"): 4 other, 3 few, 2 two, 1 one.
    for left, form in ((4, "cynnig"), (3, "chynnig"), (2, "gynnig"), (1, "cynnig")):
        try_passcode(page, "anghywir o hyd")
        expect(page.locator("#passcode-error")).to_have_text(
            f"Nid yw'r cod mynediad yn gywir. {left} {form} ar ôl cyn i'r data ar y llechen hon "
            "gael eu dileu.")
    try_passcode(page, "anghywir o hyd")
    expect(page.locator(".error-summary")).to_contain_text("Gormod o godau mynediad anghywir")
    assert "wrapped" not in page.evaluate(RAW_STORAGE)


def test_english_warnings_count_in_english(live_server, page, world):
    set_up_tablet(page, live_server, world, language="English")
    page.reload()
    try_passcode(page, "not the passcode", button="Open")
    expect(page.locator("#passcode-error")).to_have_text(
        "The passcode is not right. 4 tries are left before the data on this tablet is erased.")


def test_the_app_locks_when_idle(live_server, page, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PWA_IDLE_MINUTES", 0.05)  # three seconds
    set_up_tablet(page, live_server, world)
    expect(page.get_by_role("heading", name="Rhowch eich cod mynediad")).to_be_visible(
        timeout=10_000)


def test_the_passcode_alone_opens_the_app_for_a_week_after_being_online(
        live_server, context, page, world):
    set_up_tablet(page, live_server, world)
    page.evaluate("""async () => new Promise((resolve) => {
      const request = indexedDB.open("adref");
      request.onsuccess = () => {
        const tx = request.result.transaction("vaults", "readwrite");
        const vaults = tx.objectStore("vaults");
        vaults.getAll().onsuccess = (e) => {
          for (const vault of e.target.result) {
            vault.lastOnlineAt = Date.now() - 8 * 24 * 60 * 60 * 1000;
            vaults.put(vault);
          }
        };
        tx.oncomplete = () => resolve(true);
      };
    })""")
    context.set_offline(True)
    page.reload()
    try_passcode(page, PASSCODE)
    expect(page.locator(".error-summary")).to_contain_text(
        "Mae'r llechen hon wedi bod all-lein yn rhy hir")


def test_the_app_syncs_on_opening_and_keeps_the_children_encrypted(
        live_server, context, page, world, session):
    set_up_tablet(page, live_server, world)
    # Opening the app syncs by itself: no button needed to see the worker's children.
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    expect(status(page)).to_contain_text("Cysonwyd ddiwethaf")
    assert "Cerys" not in page.evaluate(RAW_STORAGE)

    context.set_offline(True)
    page.reload()
    try_passcode(page, PASSCODE)
    expect(children_listed(page)).to_have_text(["Cerys Test"])
    page.get_by_role("button", name="Cysoni nawr").click()
    expect(page.locator(".notice")).to_contain_text("Rydych chi all-lein")
    expect(status(page)).to_contain_text("All-lein")

    device = device_of(session, world.worker)
    device.revoked_at = device.created_at
    session.commit()
    # Back online, the app syncs by itself, hears that the tablet was removed, and erases.
    context.set_offline(False)
    expect(page.locator(".error-summary")).to_contain_text("Cafodd y llechen hon ei thynnu")
    assert "Cerys" not in page.evaluate(RAW_STORAGE) and "wrapped" not in page.evaluate(
        RAW_STORAGE)


def test_a_child_added_offline_survives_a_reload_and_reaches_the_server_once(
        live_server, context, page, world, session):
    set_up_tablet(page, live_server, world)
    expect(status(page)).to_contain_text("0 newid yn aros i gael eu hanfon")
    context.set_offline(True)
    page.get_by_role("link", name="Ychwanegu plentyn").click()
    page.get_by_role("button", name="Cadw").click()
    expect(page.locator("#given_name-error")).to_have_text("Rhowch enw cyntaf y plentyn")
    expect(page.locator(".error-summary")).to_contain_text("Rhowch gyfenw'r plentyn")
    assert violations(page) == []
    page.locator("#given_name").fill("Gwenllïan")
    page.locator("#family_name").fill("Ŵyn")
    page.get_by_role("button", name="Cadw").click()
    expect(page.locator("h1")).to_have_text("Gwenllïan Ŵyn")
    expect(status(page)).to_contain_text("1 newid yn aros i gael ei anfon")
    assert "Gwenllïan" not in page.evaluate(RAW_STORAGE)

    page.reload()  # offline: nothing may be lost
    try_passcode(page, PASSCODE)
    expect(page.locator("h1")).to_have_text("Gwenllïan Ŵyn")
    page.get_by_role("button", name="Cysoni nawr").click()
    expect(page.locator(".notice")).to_contain_text("Rydych chi all-lein")
    expect(status(page)).to_contain_text("1 newid yn aros i gael ei anfon")

    context.set_offline(False)
    page.get_by_role("button", name="Cysoni nawr").click()
    expect(status(page)).to_contain_text("0 newid yn aros i gael eu hanfon")
    page.get_by_role("link", name="Eich plant").click()
    expect(children_listed(page)).to_have_text(["Cerys Test", "Gwenllïan Ŵyn"])
    page.get_by_role("button", name="Cysoni nawr").click()
    expect(children_listed(page)).to_have_text(["Cerys Test", "Gwenllïan Ŵyn"])
    made = children_named(session, "Gwenllïan")
    assert len(made) == 1
    assert made[0].family_name == "Ŵyn" and made[0].assigned_worker_id == world.worker.id
