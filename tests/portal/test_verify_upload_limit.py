"""/verifikasi/<token> takes a file to compare with the issued PDF; a file
larger than that PDF (plus the multipart envelope) is refused with 413 and a
message in Bahasa Indonesia, before its body is read."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory

from apps.docflow.models import IssuedDocument
from apps.portal.views import VERIFY_UPLOAD_MARGIN, UploadTooLarge, _CappedUpload
from tests.conftest import advance_skt, make_skt


@pytest.fixture
def issued():
    doc = advance_skt(make_skt(), "SKT Terbit")
    return IssuedDocument.objects.get(document_id=doc.pk, doctype="Permohonan SKT")


def test_upload_larger_than_the_issued_pdf_is_refused(client, issued):
    size = issued.file.size
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (size + VERIFY_UPLOAD_MARGIN), "application/pdf")
    response = client.post(f"/verifikasi/{issued.token}", {"berkas": big})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Berkas terlalu besar" in html
    assert "SAMA PERSIS" not in html and "BERBEDA" not in html
    # the original itself still passes
    original = issued.file.open("rb").read()
    ok = client.post(f"/verifikasi/{issued.token}", {"berkas": SimpleUploadedFile("a.pdf", original)})
    assert ok.status_code == 200 and "SAMA PERSIS" in ok.content.decode()


def test_declared_length_is_refused_before_the_body_is_read(client, issued):
    # 150 MB announced; the body is never read (it is not even there)
    response = client.generic(
        "POST",
        f"/verifikasi/{issued.token}",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(150 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()


def test_upload_handler_stops_a_body_without_a_usable_length():
    boundary = "batas"
    payload = b"x" * 5000
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="a.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = RequestFactory().post("/", body, content_type=f"multipart/form-data; boundary={boundary}")
    meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
    handlers = [_CappedUpload(1000)]
    with pytest.raises(UploadTooLarge):
        MultiPartParser(meta, io.BytesIO(body), handlers).parse()
