"""Print template errors read in Bahasa Indonesia, with the line."""

import pytest

from apps.docflow import printing


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ x ", "baris 1: templat berakhir sebelum }}"),
        ("{% foo %}", "baris 1: tag foo tidak dikenal"),
        ("a\n{% for a in b %}", "baris 2: blok for belum ditutup"),
        ("{{ a !! }}", "baris 1: karakter ! tidak terduga"),
        ("{% if %}", "baris 1: diharapkan sebuah ungkapan, ditemukan %}"),
        ("{% endfor %}", "baris 1: tag endfor tidak dikenal"),
    ],
)
def test_template_errors_in_indonesian(source, expected):
    message = printing.check_template(source)
    assert message.startswith(expected), message
    for english in ("unexpected", "Encountered", "Jinja was looking", "expected token", "Expected an"):
        assert english not in message


def test_print_format_form_names_the_problem(login_as):
    admin = login_as("admin")
    response = admin.post(
        "/app/docflow/printformat/add/",
        {"name": "Rusak", "doc_type": "Permohonan SKT", "html": "{% for x in y %}", "page_size": "A4", "margin": "2cm"},
    )
    html = response.content.decode()
    assert "Templat tidak dapat dibaca: baris 1: blok for belum ditutup" in html
