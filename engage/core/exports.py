"""CSV and XLSX downloads, shared by every domain's exports.

CSV starts with a byte-order mark, because Excel (what most offices open it with) otherwise reads UTF-8
Chinese as garbage. Cells that begin like a formula are prefixed with an apostrophe so that a citizen's
text such as ``=HYPERLINK(...)`` is shown, never run, when staff open the file.
"""

import csv
import io
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from engage.core.timeutil import to_china

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


#: What a character no export format can hold becomes (U+FFFD, as decoders do).
REPLACEMENT_CHARACTER = "\ufffd"


def safe_cell(value):
    """A value as it should land in a spreadsheet cell: China time for datetimes, formulas defused, and
    control characters (which XLSX cannot hold, and old rows may contain) replaced."""
    if isinstance(value, datetime):
        return to_china(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value.label) if hasattr(value, "label") else str(value)  # enums carry their translated label
    text = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _attachment_headers(filename: str) -> dict:
    # RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser.
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}


def csv_rows(header: Sequence, rows: Iterable[Sequence]) -> Iterable[str]:
    """The CSV text, a line at a time (rows may be a generator over a large query)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([str(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> Response:
    return Response(csv_rows(header, rows), content_type=CSV_TYPE, headers=_attachment_headers(filename))


def write_csv(target, header: Sequence, rows: Iterable[Sequence]) -> None:
    """Write the CSV to ``target`` (a path or a binary file), in UTF-8, a block at a time."""
    with _opened(target) as output:
        for text in csv_rows(header, rows):
            output.write(text.encode())


def write_xlsx(target, sheets: Sequence[tuple[str, Sequence, Iterable[Sequence]]]) -> None:
    """A workbook of (title, header, rows) sheets written to ``target`` (a path or a binary file).

    openpyxl's write-only mode keeps each sheet's rows in a temporary file, not in memory, so a sheet of
    400,000 rows costs no more memory than one of 400.
    """
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(cell) for cell in header])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
    workbook.save(target)


class _opened:
    def __init__(self, target):
        self.target, self.file = target, None

    def __enter__(self):
        if isinstance(self.target, str | os.PathLike):
            self.file = open(self.target, "wb")  # noqa: SIM115 (closed on exit)
            return self.file
        return self.target

    def __exit__(self, *exc):
        if self.file is not None:
            self.file.close()


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """The workbook in memory: for small downloads (large ones are written to a file by a job)."""
    output = io.BytesIO()
    write_xlsx(output, sheets)
    return output.getvalue()


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence, Iterable[Sequence]]]) -> Response:
    return Response(xlsx_bytes(sheets), mimetype=XLSX_TYPE, headers=_attachment_headers(filename))
