"""P5.4.2 Pencairan Banpol and its LPJ (P7.3 Monev Banpol): only a budgeted
application is disbursed, the Tim Verifikasi may return it, the transfer must
equal the approved amount, and a party without an accepted LPJ receives no
further disbursement."""

import datetime
from decimal import Decimal

import pytest

from apps.bakesbangpol.monev.models import MonevBanpol
from apps.bakesbangpol.pembinaan.models import PencairanBanpol
from apps.bakesbangpol.pembinaan.services import (
    BelumDianggarkan,
    LpjBelumDiterima,
    TransferMelebihiJumlah,
    lpj_tertunggak,
)
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.models import WorkflowLog
from apps.docflow.services.workflow import available_actions
from tests.conftest import pdf_text, user

from .helpers import (
    TAHUN,
    ajukan,
    ajukan_pencairan,
    anggarkan,
    apply,
    bukti,
    dicairkan,
    edit,
    refused,
    siap_transfer,
    terima_lpj,
    verifikasi_tim,
)


def test_only_a_budgeted_application_is_disbursed():
    permohonan = ajukan("PKB")
    with pytest.raises(BelumDianggarkan) as exc:
        ajukan_pencairan(permohonan)
    assert "Diajukan" in exc.value.message
    permohonan = verifikasi_tim(permohonan).doc
    with pytest.raises(BelumDianggarkan):
        ajukan_pencairan(permohonan)
    assert not PencairanBanpol.objects.exists()
    permohonan = anggarkan(permohonan)
    pencairan = ajukan_pencairan(permohonan)
    assert pencairan.workflow_state == "Diajukan ke Wali Kota"
    assert (pencairan.parpol, pencairan.tahun_anggaran) == (permohonan.parpol, permohonan.tahun_anggaran)
    pencairan.refresh_from_db()
    assert isinstance(pencairan.jumlah, Decimal) and pencairan.jumlah == Decimal("151875000.00")


def test_returned_to_the_party_and_resubmitted():
    pencairan = ajukan_pencairan(anggarkan(ajukan("PKB")))
    refused(pencairan, "Teruskan ke Tim Verifikasi", "staf_poldagri", AttachmentRequired)
    refused(pencairan, "Teruskan ke Tim Verifikasi", "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    doc = apply(pencairan, "Teruskan ke Tim Verifikasi", "staf_poldagri", attachments=[bukti()]).doc
    assert doc.workflow_state == "Verifikasi Tim"
    refused(doc, "Kembalikan ke Parpol", "timver1", CommentRequired)
    refused(doc, "Kembalikan ke Parpol", "staf_poldagri", RoleNotAllowed, comment="x")
    result = apply(doc, "Kembalikan ke Parpol", "timver1", comment="Kuitansi belum bermeterai.")
    assert result.doc.workflow_state == "Dikembalikan ke Parpol"
    assert result.log.comment == "Kuitansi belum bermeterai."
    doc = result.doc
    refused(doc, "Ajukan Ulang", "staf_poldagri", AttachmentRequired)
    refused(doc, "Ajukan Ulang", "staf_iwk", OutsideUnitScope, attachments=[bukti("staf_iwk")])
    doc = apply(doc, "Ajukan Ulang", "staf_poldagri", attachments=[bukti()]).doc
    assert doc.workflow_state == "Verifikasi Tim"
    doc = apply(doc, "Permohonan Lengkap", "timver3").doc
    assert doc.workflow_state == "Menunggu Transfer"


def test_transfer_needs_its_data_the_exact_amount_and_proof(django_capture_on_commit_callbacks):
    pencairan = ajukan_pencairan(anggarkan(ajukan("PKB", TAHUN - 1)))
    doc = apply(pencairan, "Teruskan ke Tim Verifikasi", "staf_poldagri", attachments=[bukti()]).doc
    doc = apply(doc, "Permohonan Lengkap", "timver2").doc
    refused(doc, "Catat Transfer", "bendahara", ConditionNotMet, attachments=[bukti("bendahara")])
    doc = edit(
        doc,
        "bendahara",
        tanggal_transfer=datetime.date(TAHUN - 1, 3, 10),
        jumlah_transfer=Decimal("151874999.99"),
        referensi_transfer="SP2D-0042",
    )
    refused(doc, "Catat Transfer", "bendahara", ConditionNotMet, attachments=[bukti("bendahara")])
    with pytest.raises(TransferMelebihiJumlah):  # more than approved is refused when written
        edit(doc, "bendahara", jumlah_transfer=Decimal("151875000.01"))
    doc.refresh_from_db()
    assert doc.jumlah_transfer == Decimal("151874999.99")
    doc = edit(doc, "bendahara", jumlah_transfer=Decimal("151875000"), referensi_transfer="")
    refused(doc, "Catat Transfer", "bendahara", ConditionNotMet, attachments=[bukti("bendahara")])
    doc = edit(doc, "bendahara", referensi_transfer="SP2D-0042")
    refused(doc, "Catat Transfer", "bendahara", AttachmentRequired)
    refused(doc, "Catat Transfer", "staf_poldagri", RoleNotAllowed, attachments=[bukti()])
    assert not MonevBanpol.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(doc, "Catat Transfer", "bendahara", attachments=[bukti("bendahara")])
    doc = result.doc
    assert doc.workflow_state == "Ditransfer"
    assert doc.batas_lpj == datetime.date(TAHUN, 1, 31)
    assert isinstance(doc.jumlah_transfer, Decimal) and doc.jumlah_transfer == doc.jumlah
    assert doc.lpj_diterima is False
    monev = MonevBanpol.objects.get(pencairan=doc)
    assert monev.workflow_state == "Menunggu Konfirmasi Penerimaan"
    assert monev.unit_id == doc.unit_id
    assert WorkflowLog.objects.filter(doctype="Monev Banpol", document_id=monev.pk, kind="create").exists()


def test_lpj_not_accepted_blocks_the_next_disbursement(django_capture_on_commit_callbacks):
    pertama = dicairkan("PKB", TAHUN - 1, django_capture_on_commit_callbacks)
    kedua = anggarkan(ajukan("PKB", TAHUN))
    assert lpj_tertunggak(pertama.parpol) == pertama
    count = PencairanBanpol.objects.count()
    with pytest.raises(LpjBelumDiterima) as exc:
        ajukan_pencairan(kedua)
    assert pertama.name in exc.value.message
    assert PencairanBanpol.objects.count() == count

    # another party is not affected
    assert ajukan_pencairan(anggarkan(ajukan("PKS", TAHUN))).workflow_state == "Diajukan ke Wali Kota"

    # "Tutup" is only offered once the LPJ is accepted
    assert "Tutup" not in [a.action for a in available_actions(pertama, user("staf_poldagri"))]
    refused(pertama, "Tutup", "staf_poldagri", ConditionNotMet)

    monev = terima_lpj(MonevBanpol.objects.get(pencairan=pertama))
    pertama.refresh_from_db()
    assert pertama.lpj_diterima is True
    assert lpj_tertunggak(pertama.parpol) is None

    berikut = ajukan_pencairan(kedua)
    assert berikut.workflow_state == "Diajukan ke Wali Kota" and berikut.tahun_anggaran == TAHUN

    assert "Tutup" in [a.action for a in available_actions(pertama, user("staf_poldagri"))]
    refused(pertama, "Tutup", "staf_kbk", OutsideUnitScope)
    assert apply(pertama, "Tutup", "staf_poldagri").doc.workflow_state == "Selesai"

    monev = edit(monev, "staf_poldagri", hasil_monitoring="Dana digunakan untuk pendidikan politik kader.")
    monev = apply(monev, "Catat Hasil Monitoring", "staf_poldagri").doc
    assert monev.workflow_state == "Pengesahan Hasil Monev"
    refused(monev, "Sahkan Hasil Monev", "staf_poldagri", RoleNotAllowed)
    refused(monev, "Perbaiki Hasil Monitoring", "kabid_poldagri", CommentRequired)
    result = apply(monev, "Sahkan Hasil Monev", "kabid_poldagri")
    assert result.doc.workflow_state == "Selesai"
    assert result.issued.title == "Hasil Monev Banpol" and result.issued.number.startswith("900/")
    text = " ".join(pdf_text(result.issued.file.read()).split())
    assert result.issued.number in text
    assert "Partai Kebangkitan Bangsa" in text and "Dana digunakan untuk pendidikan politik kader." in text
    assert "Rp151.875.000" in text and "Seratus lima puluh satu juta delapan ratus tujuh puluh lima ribu rupiah" in text
    assert "Bambang Wijaya, S.Sos." in text  # the Kepala Bidang Poldagri signs
    pertama.refresh_from_db()
    assert pertama.lpj_diterima is True


def test_transfer_is_refused_while_an_earlier_lpj_is_outstanding(django_capture_on_commit_callbacks):
    """The rule also holds at the transfer itself (e.g. two disbursements
    applied for before the first was transferred)."""
    kedua = ajukan_pencairan(anggarkan(ajukan("GOLKAR", TAHUN)))
    pertama = dicairkan("GOLKAR", TAHUN - 1, django_capture_on_commit_callbacks)
    assert pertama.workflow_state == "Ditransfer"
    doc = siap_transfer(kedua)
    refused(doc, "Catat Transfer", "bendahara", LpjBelumDiterima, attachments=[bukti("bendahara")])
    terima_lpj(MonevBanpol.objects.get(pencairan=pertama))
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(doc, "Catat Transfer", "bendahara", attachments=[bukti("bendahara")])
    assert result.doc.workflow_state == "Ditransfer"
    assert result.doc.batas_lpj == datetime.date(TAHUN + 1, 1, 31)
    assert MonevBanpol.objects.filter(pencairan=result.doc).exists()
