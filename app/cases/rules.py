"""Rules for children and episodes on plain values, shared by the API and sync."""

from flask_babel import lazy_gettext as _l

# Area fields, with the kind of area each must name.
CHILD_AREA_FIELDS = {"placing_authority_code": "local_authority",
                     "host_authority_code": "local_authority"}
EPISODE_AREA_FIELDS = {"reporting_force_code": "police_force"}
EPISODE_CODE_FIELDS = {"return_method": "return_method", "risk_grade": "risk_grade"}


def return_time_errors(reported_missing_at, returned_at) -> dict:
    if reported_missing_at and returned_at and returned_at < reported_missing_at:
        return {"returned_at": [_l("The return must be after the report.")]}
    return {}


def area_errors(area_kinds: dict[str, str], wanted: dict[str, tuple[str, str | None]]) -> dict:
    """area_kinds maps every known area code to its kind; wanted maps a field to (kind, code)."""
    return {field: [_l("Unknown area code.")] for field, (kind, code) in wanted.items()
            if code and area_kinds.get(code) != kind}
