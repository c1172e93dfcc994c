"""The supervisor's intake pages: the return notice and the search for the child (/intake/new),
the possible duplicates offered, the episode and the allocation, and the child's page where a
case is reassigned. Earlier steps' answers travel in the next step's hidden fields; the
final step checks them all again and saves the whole intake in one transaction."""

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.policy import may_review
from app.auth.views import check_csrf, page_refusal
from app.cases.models import NOTIFIERS, WORKER_WISHES, Area
from app.codelists.models import CodeListItem
from app.codelists.services import code_labels, usable_items
from app.core.errors import NotFound, ValidationFailed
from app.core.headers import private_page
from app.extensions import db
from app.i18n import current_language
from app.intake import services
from app.review.services import names_of_people

intake_blueprint = Blueprint("intake", __name__, url_prefix="/intake")
intake_blueprint.after_request(private_page)
LONDON = ZoneInfo("Europe/London")

NOTIFIER_NAMES = dict(zip(NOTIFIERS, (
    _l("The police"), _l("The local authority"), _l("A parent or carer"), _l("Someone else")),
    strict=True))
WISH_NAMES = dict(zip(WORKER_WISHES, (
    _l("The same worker as last time"), _l("A different worker"), _l("No wish")), strict=True))
# The answers of the first step, carried through the next ones.
NOTICE_FIELDS = ("notified_by", "notified_date", "notified_time", "returned_date",
                 "returned_time")
SEARCH_FIELDS = ("search_given_name", "search_family_name", "search_date_of_birth",
                 "search_area")
MOMENT_WORDS = {"notified": services.NEEDED["notified_at"],
                "returned": services.NEEDED["returned_at"],
                "reported": services.NEEDED["reported_missing_at"]}
ENTER_A_DATE = _l("Enter the date of birth as a date, for example 27 March 2012.")
ENTER_A_SEARCH = _l("Enter a name, or a date of birth, to look for the child.")
CHOOSE_CHILD = _l("Choose the child, or choose to record a new child.")
# Where a field's error is shown when the field the rules name is split on the page.
FIELD_ON_PAGE = {"returned_at": "returned_date", "notified_at": "notified_date",
                 "reported_missing_at": "reported_date", "child_id": "child"}
# On the episode's page the return time is the notice's, shown, not asked again: a return
# before the report is mended at the report.
ON_EPISODE_PAGE = FIELD_ON_PAGE | {"returned_at": "reported_date"}


def refused():
    """None for a supervisor or an admin; otherwise the sign-in, or 403."""
    return page_refusal(may_review)


def _on_page(errors: dict, fields: dict = FIELD_ON_PAGE) -> dict:
    """{field on the page: its first message}, as the error summary lists them."""
    return {fields.get(name, name): str(messages[0]) for name, messages in errors.items()}


def _moment(form, prefix: str, errors: dict) -> datetime | None:
    """A date and a time typed in Wales (Europe/London), as an aware UTC instant. (A time the
    clocks skip or repeat is read as the first of them, fold 0.)"""
    day, clock = form.get(f"{prefix}_date", "").strip(), form.get(f"{prefix}_time", "").strip()
    try:
        local = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))
    except ValueError:
        errors[f"{prefix}_date"] = str(MOMENT_WORDS[prefix])
        return None
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def _day(text: str, field: str, errors: dict) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = str(ENTER_A_DATE)
        return None


def _notice(form, errors: dict) -> services.Notice:
    return services.Notice(notified_by=form.get("notified_by") or None,
                           notified_at=_moment(form, "notified", errors),
                           returned_at=_moment(form, "returned", errors))


def _choices() -> dict:
    """What the selects offer, in the reader's language."""
    language = current_language()
    name = "name_cy" if language == "cy" else "name_en"
    areas = [(code, kind, shown, "en" if language == "cy" and country != "wales" else None)
             for code, kind, shown, country in db.session.execute(
                 select(Area.code, Area.kind, getattr(Area, name), Area.country)
                 .order_by(getattr(Area, name)))]
    codes = {}
    for item in db.session.scalars(usable_items(g.person.organisation_id).where(
            CodeListItem.list_name.in_(("risk_grade", "return_method")))
            .order_by(CodeListItem.position, CodeListItem.code)):
        codes.setdefault(item.list_name, []).append(item)
    label = "label_cy" if language == "cy" else "label_en"
    return {
        # (code, name, the name's language when not the page's: England's names are English)
        "authorities": [(code, shown, lang) for code, kind, shown, lang in areas
                        if kind == "local_authority"],
        "forces": [(code, shown, lang) for code, kind, shown, lang in areas
                   if kind == "police_force"],
        "risk_grades": [(item.code, getattr(item, label), None)
                        for item in codes.get("risk_grade", [])],
        "return_methods": [(item.code, getattr(item, label), None)
                           for item in codes.get("return_method", [])],
        "notifiers": NOTIFIER_NAMES, "wishes": WISH_NAMES,
    }


def _render(template: str, status: int = 200, **values):
    return render_template(f"intake/{template}", form=request.form, **_choices(), **values), status


# --- step 1: the notice and the search ---------------------------------------------------------
@intake_blueprint.get("")
def start():
    return refused() or redirect(url_for(".new_notice"))


@intake_blueprint.get("/new")
def new_notice():
    return refused() or _render("notice.html", errors={})


@intake_blueprint.post("/new")
def find_child():
    """The notice checked, then the children who may be the one it is about."""
    refusal = refused()
    if refusal:
        return refusal
    check_csrf()
    form, errors = request.form, {}
    notice = _notice(form, errors)
    born = _day(form.get("search_date_of_birth", ""), "search_date_of_birth", errors)
    given, family = form.get("search_given_name", "").strip(), form.get("search_family_name",
                                                                        "").strip()
    errors = _on_page(services.notice_errors(notice)) | errors
    if not (given or family or born) and "search_date_of_birth" not in errors:
        errors["search_given_name"] = str(ENTER_A_SEARCH)
    if errors:
        return _render("notice.html", 422, errors=errors)
    candidates = services.possible_duplicates(db.session, g.person, given, family, born,
                                              form.get("search_area") or None)
    db.session.commit()  # the children offered, in the audit trail
    return _render("candidates.html", errors={}, candidates=candidates,
                   carried=_carried(NOTICE_FIELDS + SEARCH_FIELDS))


def _carried(names) -> dict:
    return {name: request.form.get(name, "") for name in names}


# --- step 2: the child chosen, or a new one; then the episode and the allocation ---------------
@intake_blueprint.post("/new/child")
def choose_child():
    refusal = refused()
    if refusal:
        return refusal
    check_csrf()
    chosen = request.form.get("child", "")
    carried = _carried(NOTICE_FIELDS + SEARCH_FIELDS)
    if not chosen:
        form = request.form
        candidates = services.possible_duplicates(
            db.session, g.person, form.get("search_given_name", ""),
            form.get("search_family_name", ""),
            _day(form.get("search_date_of_birth", ""), "search_date_of_birth", {}),
            form.get("search_area") or None)
        db.session.commit()
        return _render("candidates.html", 422, errors={"child": str(CHOOSE_CHILD)},
                       candidates=candidates, carried=carried)
    child = _chosen_child(chosen)
    db.session.commit()  # the child read, in the audit trail
    return _episode_page(child, carried | {"child": chosen}, errors={})


def _chosen_child(chosen: str):
    """The child chosen (None for a new one); 404 for one this person may not see."""
    if chosen == "new":
        return None
    try:
        return services.visible_child(db.session, g.person, uuid.UUID(chosen), "intake-find")
    except (ValueError, NotFound):
        abort(404)


def _episode_page(child, carried: dict, errors: dict, status: int = 200):
    workers = services.assignable_workers(db.session, g.person,
                                          child.team_id if child is not None else None)
    last_worker = None
    if child is not None and child.assigned_worker_id:
        last_worker = names_of_people(db.session, [child.assigned_worker_id]).get(
            child.assigned_worker_id)
    return _render("episode.html", status, errors=errors, child=child, carried=carried,
                   notice=_notice(request.form, {}),
                   worker_options=_options_of(workers),
                   last_worker=last_worker,
                   last_worker_id=str(child.assigned_worker_id) if last_worker else "")


@intake_blueprint.post("/new/save")
def save_intake():
    """The whole intake in one transaction: nothing is kept unless all of it is."""
    refusal = refused()
    if refusal:
        return refusal
    check_csrf()
    form = request.form
    chosen = form.get("child", "")
    carried = _carried(NOTICE_FIELDS + SEARCH_FIELDS) | {"child": chosen}
    child = _chosen_child(chosen)
    errors: dict = {}
    notice = _notice(form, errors)
    episode_data = _episode_data(form, errors)
    child_data = _child_data(form, errors) if child is None else None
    worker_id = _uuid(form.get("assigned_worker_id"))
    try:
        saved, _episode = services.record_intake(
            db.session, g.person, notice, child.id if child is not None else None, child_data,
            episode_data, worker_id, form.get("worker_wish") or None)
        if errors:  # what could not be read: nothing is kept
            raise ValidationFailed({})
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        child = _chosen_child(chosen)  # as it was before the attempt
        page = _episode_page(child, carried, _on_page(failed.errors, ON_EPISODE_PAGE) | errors,
                             422)
        db.session.commit()  # the child read again, in the audit trail (nothing else)
        return page
    return redirect(url_for(".child_page", child_id=saved.id, saved=1))


def _options_of(workers) -> list[tuple]:
    return [(str(worker.id), worker.display_name, None) for worker in workers]


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _episode_data(form, errors: dict) -> dict:
    data = {name: form.get(name) or None
            for name in ("risk_grade", "return_method", "reporting_force_code")}
    data["where_found"] = form.get("where_found", "").strip()[:2000] or None
    data["reported_missing_at"] = _moment(form, "reported", errors)
    return data


def _child_data(form, errors: dict) -> dict:
    """A new child's fields as the cases' rules check them (an empty name is refused there)."""
    data = {name: form.get(name, "").strip()[:120] for name in ("given_name", "family_name")}
    data["date_of_birth"] = _day(form.get("date_of_birth", ""), "date_of_birth", errors)
    data["preferred_language"] = form.get("preferred_language") if form.get(
        "preferred_language") in ("cy", "en") else None
    data["looked_after"] = form.get("looked_after") == "yes"
    for name in ("placing_authority_code", "host_authority_code"):
        data[name] = form.get(name) or None
    return data


# --- the child's page: episodes, the wish, reassignment ----------------------------------------
def _child_or_404(child_id: uuid.UUID, action: str):
    return services.visible_child(db.session, g.person, child_id, action)


def _child_view(child, errors: dict, status: int = 200, notice: str | None = None):
    episodes = services.episodes_of(db.session, child)
    workers = services.assignable_workers(db.session, g.person, child.team_id)
    names = names_of_people(db.session, [child.assigned_worker_id])
    labels = code_labels(db.session, child.organisation_id, current_language())
    db.session.commit()  # the reading, in the audit trail
    return _render("child.html", status, child=child, episodes=episodes,
                   worker_options=_options_of(workers),
                   worker_name=names.get(child.assigned_worker_id), labels=labels,
                   errors=errors, notice=notice)


@intake_blueprint.get("/children/<uuid:child_id>")
def child_page(child_id: uuid.UUID):
    refusal = refused()
    if refusal:
        return refusal
    child = _child_or_404(child_id, "read")
    notice = (_l("The intake is saved.") if request.args.get("saved") else
              _l("The child's worker is changed.") if request.args.get("assigned") else None)
    return _child_view(child, {}, notice=notice)


@intake_blueprint.post("/children/<uuid:child_id>/assign")
def assign(child_id: uuid.UUID):
    refusal = refused()
    if refusal:
        return refusal
    check_csrf()
    child = _child_or_404(child_id, "read")
    try:
        services.assign(db.session, g.person, child,
                        _uuid(request.form.get("assigned_worker_id")))
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        child = _child_or_404(child_id, "read")
        return _child_view(child, _on_page(failed.errors), 422)
    return redirect(url_for(".child_page", child_id=child.id, assigned=1))
