"""Attachments on the staff edit page: real files accepted, forged and oversize files refused."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from engage.consultations.models import Attachment
from engage.extensions import db
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"
# The smallest JPEG header filetype recognises (SOI + APP0 JFIF), followed by an end-of-image marker.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def png_bytes() -> bytes:
    """A 1x1 white PNG, built chunk by chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def docx_bytes() -> bytes:
    """A minimal Word document: content types, package relationships and the main document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>起草说明</w:t></w:r></w:p></w:body></w:document>'))
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "征求意见汇总"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    return buffer.getvalue()


@pytest.fixture
def staff_client(en_client, auth, staff):
    auth.login(staff.email)
    return en_client


@pytest.fixture
def draft(department, staff):
    return factories.make_consultation(department, staff, publish=False)


def upload(client, consultation, content: bytes, name: str):
    return client.post(f"/staff/consultations/{consultation.id}/attachments",
                       data={"file": (io.BytesIO(content), name)})


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("起草说明.pdf", lambda: PDF, "application/pdf"),
        ("示意图.png", png_bytes, "image/png"),
        ("现场照片.JPG", lambda: JPEG, "image/jpeg"),
        ("对照表.docx", docx_bytes,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("汇总表.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_files_are_accepted(app, staff_client, draft, name, build, content_type):
    content = build()
    response = upload(staff_client, draft, content, name)
    assert response.status_code == 302
    assert response.location.endswith(f"/staff/consultations/{draft.id}/edit#attachments")
    attachment = db.session.scalars(db.select(Attachment)).one()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert name in staff_client.get(response.location).get_data(as_text=True)


def test_attachment_is_stored_outside_static_under_a_generated_name(app, staff_client, draft):
    upload(staff_client, draft, PDF, "../../static/css/engage.css.pdf")
    attachment = db.session.scalars(db.select(Attachment)).one()
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == PDF
    assert attachment.stored_name.endswith(".pdf") and "engage" not in attachment.stored_name
    assert Path(app.static_folder).resolve() not in stored.resolve().parents


def test_staff_download_sends_type_and_file_name(staff_client, draft):
    upload(staff_client, draft, PDF, "起草说明.pdf")
    attachment = db.session.scalars(db.select(Attachment)).one()
    response = staff_client.get(f"/staff/consultations/{draft.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "%E8%B5%B7%E8%8D%89%E8%AF%B4%E6%98%8E.pdf" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("草案.pdf", b"<html><script>alert(1)</script></html>", "does not match its type (PDF)"),
        ("草案.docx", zip_without_document(), "does not match its type (DOCX)"),
        ("汇总表.xlsx", docx_bytes(), "does not match its type (XLSX)"),
        ("照片.png", JPEG, "does not match its type (PNG)"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "Only PDF, DOCX, XLSX, PNG and JPEG files can be attached."),
        ("草案.pdf.html", PDF, "Only PDF, DOCX, XLSX, PNG and JPEG files can be attached."),
        ("没有扩展名", PDF, "Only PDF, DOCX, XLSX, PNG and JPEG files can be attached."),
        ("空.pdf", b"", "The file is empty."),
    ],
)
def test_forged_or_wrong_files_are_refused_and_nothing_is_kept(app, staff_client, draft, name, content, message):
    before = stored_files(app)
    response = upload(staff_client, draft, content, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'aria-invalid="true"' in page  # the message is tied to the file field
    assert db.session.scalars(db.select(Attachment)).first() is None
    assert stored_files(app) == before


def test_missing_file_is_refused(staff_client, draft):
    response = staff_client.post(f"/staff/consultations/{draft.id}/attachments", data={})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_file_over_the_size_limit_is_refused(app, staff_client, draft):
    app.config["MAX_UPLOAD_MB"] = 1
    before = stored_files(app)
    response = upload(staff_client, draft, PDF + b"0" * (1024 * 1024), "大文件.pdf")
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.get_data(as_text=True)
    assert stored_files(app) == before


def test_request_over_the_content_limit_gets_a_clear_413_page(app, staff_client, draft):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(staff_client, draft, PDF + b"0" * (128 * 1024), "大文件.pdf")
    assert response.status_code == 413
    assert "The file or request is too large." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Attachment)).first() is None


def test_remove_attachment_deletes_record_and_file(app, staff_client, draft):
    upload(staff_client, draft, PDF, "起草说明.pdf")
    attachment = db.session.scalars(db.select(Attachment)).one()
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    response = staff_client.post(f"/staff/consultations/{draft.id}/attachments/{attachment.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Attachment)).first() is None
    assert not stored.exists()


def test_attachment_of_another_consultation_cannot_be_removed_through_this_one(staff_client, department, staff,
                                                                               draft):
    other = factories.make_consultation(department, staff, publish=False, title="另一个草案")
    upload(staff_client, other, PDF, "起草说明.pdf")
    attachment = db.session.scalars(db.select(Attachment)).one()
    response = staff_client.post(f"/staff/consultations/{draft.id}/attachments/{attachment.id}/remove")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Attachment, attachment.id) is not None


def test_upload_to_a_published_consultation_is_refused(staff_client, open_consultation):
    response = upload(staff_client, open_consultation, PDF, "起草说明.pdf")
    assert response.status_code == 409
    assert db.session.scalars(db.select(Attachment)).first() is None
