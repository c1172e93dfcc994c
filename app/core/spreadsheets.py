"""What every CSV the service writes shares: UTF-8 that spreadsheet programs read as such, and
cells that never run as formulas."""

import csv
import io
from collections.abc import Iterable

# A byte order mark, so that spreadsheet programs read the file as UTF-8 and show ŵ and ŷ.
BOM = "\ufeff"
# A cell beginning with one of these is a formula to a spreadsheet program; a name or a label
# must never run as one, so such a cell is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell) -> str:
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable]) -> str:
    """The rows (the header first) as CSV text with its byte order mark, every cell safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()
