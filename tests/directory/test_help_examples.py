"""The examples static/app/directory.js is held to (tests/browser/test_directory_filter.py runs
them in Chromium) are made of real directory entries: the schema that checks the data file
accepts every one, and each example names only them."""

import json
from pathlib import Path

from app.directory.services import checked_directory

EXAMPLES = json.loads((Path(__file__).parent / "help_examples.json").read_text("utf-8"))


def test_the_examples_entries_pass_the_directory_checks():
    checked_directory({"version": 1, "services": EXAMPLES["services"]})


def test_each_example_names_entries_it_has_and_says_what_it_tests():
    ids = {service["id"] for service in EXAMPLES["services"]}
    names = [example["name"] for example in EXAMPLES["examples"]]
    assert len(names) == len(set(names)) >= 12
    for example in EXAMPLES["examples"]:
        given = set(example["services"])
        assert given <= ids, example["name"]
        assert set(example["shown"]) <= given and set(example["open"]) <= set(example["shown"])
