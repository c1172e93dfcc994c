"""The one rule of code lists: a record uses only codes its organisation may use."""

from app.codelists.services import code_errors, known_codes
from app.core.rules import Change


def unknown_code_errors(change: Change, code_fields: dict[str, str]) -> dict:
    """code_fields maps a field to the code list it draws from; the codes the change sets in
    them must be known to the actor's organisation."""
    used = {name: (list_name, change.parsed[name]) for name, list_name in code_fields.items()
            if name in change.parsed}
    if not used:
        return {}
    by_list = change.memo.get("codes")
    if by_list is None:  # read once a push
        by_list = change.memo["codes"] = _codes_by_list(change, change.actor.organisation_id)
    if _all_known(by_list, used):  # the usual case, told with one set a list
        return {}
    known = {(list_name, code) for list_name, codes in by_list.items() for code in codes}
    return code_errors(known, used)


def _codes_by_list(change: Change, organisation_id) -> dict[str, set]:
    by_list: dict[str, set] = {}
    for list_name, code in known_codes(change.session, organisation_id):
        by_list.setdefault(list_name, set()).add(code)
    return by_list


def _all_known(by_list: dict[str, set], used: dict[str, tuple]) -> bool:
    for list_name, value in used.values():
        known = by_list.get(list_name, frozenset())
        if value is None:
            continue
        if not (known.issuperset(value) if type(value) is list else value in known):
            return False
    return True
