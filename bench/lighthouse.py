"""Lighthouse (from the npm registry, installed by `make bench`) against the app shell served
by gunicorn, with mobile emulation. Prints each category's score; targets: performance >= 95,
accessibility 100."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench.common import ROOT, gunicorn, prepare_database, temporary_sqlite

LIGHTHOUSE = ROOT / ".cache" / "npm-lighthouse" / "node_modules" / ".bin" / "lighthouse"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def main() -> None:
    database_url = temporary_sqlite("lighthouse.sqlite3")
    prepare_database(database_url, 1)
    report = Path(tempfile.mkdtemp()) / "report.json"
    with gunicorn(database_url) as (base, _process):
        subprocess.run(
            [str(LIGHTHOUSE), base + "/app", "--quiet", "--output=json",
             f"--output-path={report}", f"--chrome-flags={FLAGS}",
             "--only-categories=performance,accessibility,best-practices,seo"],
            check=True, env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"))
    categories = json.loads(report.read_text())["categories"]
    scores = {name: round(category["score"] * 100) for name, category in categories.items()}
    for name, score in scores.items():
        print(f"{name}={score}")
    print(f"targets: performance>=95 {'ok' if scores['performance'] >= 95 else 'UNDER'}, "
          f"accessibility=100 {'ok' if scores['accessibility'] == 100 else 'UNDER'}")
    print(f"ratio={scores['performance'] / 100:.2f}  (performance score over 100)")


if __name__ == "__main__":
    main()
