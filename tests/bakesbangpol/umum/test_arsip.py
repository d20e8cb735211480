"""P1.2.2 Kearsipan: retention computed from the classification, moving to the
inactive archive when the active period is over, then destruction (with the
minutes and a reason) or transfer as a permanent record."""

import datetime

import pytest
import time_machine

from apps.bakesbangpol.umum.services import arsip_dari_surat
from apps.docflow.exceptions import AttachmentRequired, CommentRequired, ConditionNotMet, RoleNotAllowed
from apps.docflow.services.files import file_create
from tests.conftest import pdf_upload, user

from .helpers import WIB, actions, apply, klasifikasi, no_demo_delegation, refused, register_surat


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 9, 0, tzinfo=WIB), tick=True)


def berita_acara():
    return file_create(uploaded=pdf_upload("berita-acara.pdf"), user=user("persuratan"))


def filed(tanggal, kode):
    with at(tanggal.year, tanggal.month, tanggal.day):
        surat = register_surat(tanggal_surat=tanggal, tanggal_diterima=tanggal)
        return arsip_dari_surat(
            doc=surat,
            user=user("persuratan"),
            perihal=surat.perihal,
            pengirim_penerima=surat.pengirim,
            nomor_surat=surat.nomor_surat,
            tanggal_surat=tanggal,
            klasifikasi=klasifikasi(kode),
        )


@pytest.fixture(autouse=True)
def no_plh():
    no_demo_delegation()


def test_retention_from_the_classification():
    # 070 Penelitian: 2 years active, 3 inactive, destroyed at the end
    code = klasifikasi("070")
    assert (code.retensi_aktif, code.retensi_inaktif, code.nasib_akhir) == (2, 3, "Musnah")
    arsip = filed(datetime.date(2020, 1, 15), "070")
    assert (arsip.aktif_sampai, arsip.inaktif_sampai, arsip.nasib_akhir) == (
        datetime.date(2022, 1, 15),
        datetime.date(2025, 1, 15),
        "Musnah",
    )
    assert (arsip.workflow_state, arsip.unit.kode, arsip.sumber_doctype) == ("Aktif", "SUBBAG_UMPEG", "Surat Masuk")


def test_leap_day_falls_back_to_the_28th():
    arsip = filed(datetime.date(2024, 2, 29), "070")
    assert (arsip.aktif_sampai, arsip.inaktif_sampai) == (datetime.date(2026, 2, 28), datetime.date(2029, 2, 28))


def test_active_record_moves_to_inactive_only_after_its_active_period():
    arsip = filed(datetime.date(2020, 1, 15), "070")
    with at(2022, 1, 14):
        assert "Pindahkan ke Inaktif" not in actions(arsip, "persuratan")
        refused(arsip, "Pindahkan ke Inaktif", "persuratan", ConditionNotMet)
    with at(2022, 1, 15):
        assert "Pindahkan ke Inaktif" in actions(arsip, "persuratan")
        refused(arsip, "Pindahkan ke Inaktif", "kaban", RoleNotAllowed)
        arsip = apply(arsip, "Pindahkan ke Inaktif", "persuratan").doc
    assert (arsip.workflow_state, arsip.docstatus) == ("Inaktif", 1)


def test_destruction_needs_the_minutes_a_reason_and_the_head():
    arsip = filed(datetime.date(2020, 1, 15), "070")
    with at(2022, 2, 1):
        arsip = apply(arsip, "Pindahkan ke Inaktif", "persuratan").doc
    with at(2025, 1, 14):
        assert "Musnahkan" not in actions(arsip, "kaban")
        refused(arsip, "Musnahkan", "kaban", ConditionNotMet, comment="x", attachments=[berita_acara()])
    with at(2025, 1, 15):
        assert actions(arsip, "kaban") == {"Musnahkan"}  # never handed over as permanent
        refused(arsip, "Musnahkan", "kaban", AttachmentRequired, comment="Retensi habis.")
        refused(arsip, "Musnahkan", "kaban", CommentRequired, attachments=[berita_acara()])
        refused(arsip, "Musnahkan", "persuratan", RoleNotAllowed, comment="x", attachments=[berita_acara()])
        result = apply(arsip, "Musnahkan", "kaban", comment="Retensi habis, dimusnahkan.", attachments=[berita_acara()])
    arsip = result.doc
    assert (arsip.workflow_state, arsip.docstatus, arsip.due_at) == ("Dimusnahkan", 1, None)
    assert list(result.log.attachments.values_list("attached_to_name", flat=True)) == [arsip.name]


def test_permanent_record_is_handed_over_not_destroyed():
    # 220 Organisasi Kemasyarakatan: 2 + 5 years, permanent
    arsip = filed(datetime.date(2018, 3, 10), "220")
    assert (arsip.aktif_sampai, arsip.inaktif_sampai, arsip.nasib_akhir) == (
        datetime.date(2020, 3, 10),
        datetime.date(2025, 3, 10),
        "Permanen",
    )
    with at(2020, 3, 10):
        arsip = apply(arsip, "Pindahkan ke Inaktif", "persuratan").doc
    with at(2025, 3, 10):
        assert actions(arsip, "kaban") == {"Serahkan sebagai Arsip Permanen"}
        refused(arsip, "Musnahkan", "kaban", ConditionNotMet, comment="x", attachments=[berita_acara()])
        refused(arsip, "Serahkan sebagai Arsip Permanen", "kaban", AttachmentRequired)
        arsip = apply(arsip, "Serahkan sebagai Arsip Permanen", "kaban", attachments=[berita_acara()]).doc
    assert (arsip.workflow_state, arsip.docstatus) == ("Permanen", 1)
