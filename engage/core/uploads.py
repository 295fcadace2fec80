"""Storing attachments: only PDF, DOCX, XLSX, PNG and JPEG, checked by their content, not just their name."""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l

from engage.core.errors import ValidationFailed

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: extension -> (content type, how to recognise the content)
ALLOWED = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "xlsx": XLSX,
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
#: the part every real Office Open XML file of that kind contains
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


@dataclass
class StoredFile:
    stored_name: str
    content_type: str
    size: int


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _content_matches(path: Path, content_type: str) -> bool:
    if content_type in OOXML_MAIN_PART:
        try:
            with zipfile.ZipFile(path) as archive:
                return OOXML_MAIN_PART[content_type] in archive.namelist()
        except zipfile.BadZipFile:
            return False
    guess = filetype.guess(str(path))
    return guess is not None and guess.mime == content_type


def store_upload(stream, filename: str, folder: str, max_bytes: int) -> StoredFile:
    """Save an uploaded stream under a generated name after checking its type and size.

    Nothing is left on disk when a check fails.
    """
    content_type = ALLOWED.get(_extension(filename))
    if content_type is None:
        raise ValidationFailed({"file": [_l("Only PDF, DOCX, XLSX, PNG and JPEG files can be attached.")]})
    Path(folder).mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.{_extension(filename)}"
    path = Path(folder) / stored_name
    size = 0
    try:
        with open(path, "wb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationFailed(
                        {"file": [_l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024))]}
                    )
                out.write(chunk)
        if size == 0:
            raise ValidationFailed({"file": [_l("The file is empty.")]})
        if not _content_matches(path, content_type):
            raise ValidationFailed({"file": [_l("The file's content does not match its type (%(ext)s).",
                                                ext=_extension(filename).upper())]})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name=stored_name, content_type=content_type, size=size)


def delete_stored(folder: str, stored_name: str) -> None:
    (Path(folder) / stored_name).unlink(missing_ok=True)
