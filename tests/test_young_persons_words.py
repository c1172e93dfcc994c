"""The words a young person meets in their own section are plain: the English scores at least 80
for reading ease (Flesch, measured by textstat), and the Welsh speaks to them as "ti", never as
"chi". The words are the section's questions (the newest questionnaire's young person's part,
with its code lists) and the interface text of the young person's screens, read from their
modules' t("...") calls, so a new string there is measured too."""

import json
import re
from pathlib import Path

import textstat
from babel.support import Translations

from app.i18n import CATALOG_DIR

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ("static/app/screens/youngperson.js", "static/app/screens/youngperson_parts.js",
           "static/app/screens/help.js")
QUESTIONNAIRES = ROOT / "app/questionnaires/data"
CODE_LISTS = json.loads((ROOT / "app/codelists/data/codelists.json").read_text())["lists"]
# A string in t("...") in the app's modules (the same calls the catalog is extracted from).
T_CALL = re.compile(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"|\bt\(\s*'((?:[^'\\]|\\.)*)'""")
# The formal or plural "you" of Welsh, and its verb forms: not how a child is spoken to here.
FORMAL_YOU = re.compile(r"\b(chi|chwi|eich|ydych|rydych|gallwch|allwch|hoffech|byddwch|"
                        r"fyddwch|dewiswch|ysgrifennwch|ticiwch|rhowch)\b", re.IGNORECASE)


def newest_young_persons_part():
    newest = max((json.loads(path.read_text()) for path in QUESTIONNAIRES.glob("*.json")),
                 key=lambda definition: definition["version"])
    return next(part for part in newest["parts"] if part["audience"] == "young_person")


def content(language):
    """The section's questions, hints, reasons for asking, and the words of their choices."""
    texts = []
    for screen in newest_young_persons_part()["screens"]:
        for question in screen["questions"]:
            texts += [question[key][language] for key in ("label", "hint", "why") if key in question]
            texts += [option["label"][language] for option in question.get("options", [])]
            if question.get("code_list") in CODE_LISTS:
                texts += [item[language] for item in CODE_LISTS[question["code_list"]]["items"]]
    return texts


def interface_text():
    """The English of every t("...") on the young person's screens."""
    found = []
    for module in SCREENS:
        for double, single in T_CALL.findall((ROOT / module).read_text(encoding="utf-8")):
            found.append((double or single).replace('\\"', '"').replace("\\'", "'"))
    return found


def as_sentences(texts):
    return " ".join(text if text.rstrip()[-1:] in ".?!" else f"{text}." for text in texts)


def test_the_english_is_plain_enough_for_a_child_of_eight():
    texts = content("en") + interface_text()
    assert len(texts) > 60, "the section's words were not all found"
    score = textstat.flesch_reading_ease(as_sentences(texts))
    hardest = sorted(texts, key=lambda text: textstat.flesch_reading_ease(as_sentences([text])))[:5]
    assert score >= 80, f"reading ease {score:.0f}; the hardest: {hardest}"


def test_the_measure_tells_plain_words_from_hard_ones():
    assert textstat.flesch_reading_ease("Did anyone hurt you? You can skip this.") >= 80
    assert textstat.flesch_reading_ease(
        "Consideration of safeguarding implications necessitates multi-agency information "
        "sharing.") < 80


def test_the_welsh_speaks_to_the_child_as_ti():
    catalog = Translations.load(str(CATALOG_DIR), ["cy"])
    welsh = content("cy") + [catalog.gettext(text) for text in interface_text()]
    untranslated = [text for text in interface_text() if catalog.gettext(text) == text]
    assert untranslated == []
    formal = [text for text in welsh if FORMAL_YOU.search(text)]
    assert formal == []
