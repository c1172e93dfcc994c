"""What a device is sent of the suggestion rules: the definition (data/suggestion_rules.json) as
its one item, the very document app/referrals/suggesting.py reads, so that the tablet's
static/app/suggesting.js gives the same suggestions offline. Served from the file, not a table:
versioned data shipped with the release; the part's version is the digest of its dump."""

from types import SimpleNamespace

from marshmallow import Schema, fields

from app.referrals.suggesting import suggestion_rules
from app.syncing.collections import ReferencePart


class SuggestionRulesSchema(Schema):
    """The definition's keys, dumped as they are (data/suggestion_rules.json says what each
    holds; tests/referrals/test_suggestion_rules_data.py checks them)."""

    version = fields.Integer(dump_only=True)
    about = fields.String(dump_only=True)
    kinds_about = fields.String(dump_only=True)
    kinds = fields.Raw(dump_only=True)
    conditions = fields.String(dump_only=True)
    windows = fields.String(dump_only=True)
    policies_by_area = fields.Raw(dump_only=True)
    policies_by_area_about = fields.String(dump_only=True)
    coverage = fields.Raw(dump_only=True)
    signs = fields.Raw(dump_only=True)
    rules = fields.Raw(dump_only=True)
    policies = fields.Raw(dump_only=True)


def suggestion_rules_rows(_session, _person) -> list[SimpleNamespace]:
    # The dump reads attributes, as of the other parts' rows.
    return [SimpleNamespace(**suggestion_rules())]


REFERENCE = (ReferencePart("suggestion_rules", suggestion_rules_rows, SuggestionRulesSchema()),)
