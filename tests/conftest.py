"""Shared fixtures. Reference data (organisation, roles, workflows, print
formats, numbering) and the demo accounts are loaded through the real
services once and reloaded only after a transactional test flushed them."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from apps.bakesbangpol.keuangan.demo import demo_anggaran_dpa
from apps.bakesbangpol.pembinaan.reference import pembinaan_load_reference
from apps.bakesbangpol.perizinan.models import PERSYARATAN_SKT, PermohonanSKT
from apps.bakesbangpol.umum.reference import umum_load_reference
from apps.docflow import calendar
from apps.docflow.models import Workflow
from apps.docflow.services.definitions import sync_reference_files
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create
from apps.laporan.services import iku_load_reference
from apps.organisasi.demo import demo_accounts
from apps.organisasi.models import unit_tree_changed
from apps.organisasi.services import organisasi_load_reference
from apps.portal.services import portal_user

from . import snapshot

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reference_data_loaded() -> bool:
    return Group.objects.filter(name="Kepala Badan").exists() and Workflow.objects.exists()


def ensure_reference_data():
    if not reference_data_loaded():
        organisasi_load_reference()
        sync_reference_files()
        demo_accounts()
        iku_load_reference()
        umum_load_reference()
        pembinaan_load_reference()
        demo_anggaran_dpa()  # P3.1 scenarios draw on these DPA budget lines
        portal_user()  # the portal's system account (role Pemohon): scenarios resubmit as the applicant
        calendar.load_national_holidays_around()  # as setup_site: the public holidays are rows


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test here talks to the database. A ``concurrency`` test is also an
    ``engine`` test (CI runs ``-m engine`` on PostgreSQL and MariaDB); tryfirst,
    so ``-m engine`` sees the added marker."""
    for item in items:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
        if item.get_closest_marker("concurrency") is not None and item.get_closest_marker("engine") is None:
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into the fresh test database, committed, so
    each test's rolled-back transaction starts from it instead of loading it
    again (that cost seconds per test)."""
    with django_db_blocker.unblock():
        ensure_reference_data()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def reference_data(request):
    """After a transactional test flushed the database, the reference data
    comes back from the copy taken before the first one (tests/snapshot.py),
    or through the services when a test changed the schema under the copy."""
    # a test's rolled-back unit changes must not live on in the cached unit tree
    unit_tree_changed()
    if not reference_data_loaded() and not snapshot.restore():
        ensure_reference_data()
    if _transactional(request) and not snapshot.taken():
        snapshot.take()  # this test's flush is the first; the database still holds the reference data


@pytest.fixture(autouse=True)
def _data_defined_doctypes():
    """A test that defined doctypes rolls them back: rebuild from the database next time."""
    from apps.docflow.dynamic import runtime

    before = runtime.generation()
    yield
    if runtime.generation() != before:
        runtime.forget()


@pytest.fixture(autouse=True)
def _fresh_login_counts():
    """Login lockout counts (django-axes) and rate limits start at zero in every test."""
    cache.clear()
    yield
    cache.clear()


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def users():
    return user


def skt_data(**overrides):
    data = {
        "nama_ormas": "Paguyuban Uji Coba Kota Pasuruan",
        "bidang_kegiatan": "Sosial kemasyarakatan",
        "alamat_sekretariat": "Jl. Contoh No. 1",
        "kelurahan": "Bugul Kidul",
        "kecamatan": "Bugul Kidul",
        "ketua_nama": "Ahmad Ketua",
        "ketua_nik": "3575010101010001",
        "sekretaris_nama": "Budi Sekretaris",
        "bendahara_nama": "Citra Bendahara",
    }
    data.update({field: True for field, _label in PERSYARATAN_SKT})
    data.update(overrides)
    return data


def make_skt(by="pelayanan_kbk", **overrides):
    return document_create(model=PermohonanSKT, user=user(by), data=skt_data(**overrides))


def pdf_upload(name="bukti.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def survey_file(by="pelayanan_kbk"):
    return file_create(uploaded=pdf_upload("ba-survei.pdf"), user=user(by))


def fill_survey(doc):
    doc.tanggal_survei = doc.created_at.date()
    doc.petugas_survei = "Rudi Hartono"
    doc.hasil_survei = "Sekretariat aktif dan papan nama terpasang."
    doc.save()
    return doc


def advance_skt(doc, target: str):
    """Move an SKT application along the reference path up to ``target``."""
    steps = [
        ("Survei Lokasi", lambda d: apply_action(doc=d, action="Berkas Lengkap", user=user("pelayanan_kbk"))),
        (
            "Menunggu Persetujuan",
            lambda d: apply_action(
                doc=fill_survey(d),
                action="Laporkan Hasil Survei",
                user=user("pelayanan_kbk"),
                attachments=[survey_file()],
            ),
        ),
        ("SKT Terbit", lambda d: apply_action(doc=d, action="Setujui", user=user("kaban"))),
    ]
    for state, step in steps:
        if doc.workflow_state == target:
            return doc
        doc = step(doc).doc
    assert doc.workflow_state == target, doc.workflow_state
    return doc


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def login_as(client):
    def _login(username):
        client.force_login(user(username))
        return client

    return _login
