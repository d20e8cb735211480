"""Banpol: the amount (votes x the year's rate, only for parties with seats),
applications and disbursements, and the LPJ rule."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.docflow.exceptions import DocflowError
from apps.docflow.selectors import visible_documents
from apps.docflow.services.workflow import document_create

from .models import Parpol, PencairanBanpol, PermohonanBanpol, TarifBanpol


class TarifBelumDitetapkan(DocflowError):
    default_message = _("Nilai bantuan per suara untuk tahun anggaran %(tahun)s belum ditetapkan.")


class ParpolTanpaKursi(DocflowError):
    default_message = _("%(parpol)s tidak memperoleh kursi DPRD Kota Pasuruan sehingga tidak berhak atas Banpol.")


class BelumDianggarkan(DocflowError):
    default_message = _("Permohonan Banpol %(name)s belum dianggarkan (status: %(state)s).")


class SudahDicairkan(DocflowError):
    default_message = _("Permohonan Banpol %(name)s sudah memiliki pencairan %(pencairan)s.")


class SudahDiajukan(DocflowError):
    default_message = _("%(parpol)s sudah memiliki permohonan Banpol tahun anggaran %(tahun)s (%(name)s).")


class LpjBelumDiterima(DocflowError):
    default_message = _(
        "%(parpol)s belum menyampaikan LPJ yang diterima atas pencairan %(name)s; pencairan berikutnya tidak dapat diproses."
    )


def banpol_hitung(parpol: Parpol, tahun: int) -> dict:
    """Votes x the rate of the budget year; zero for a party without a seat."""
    tarif = TarifBanpol.objects.filter(tahun_anggaran=tahun).first()
    if tarif is None:
        raise TarifBelumDitetapkan(tahun=tahun)
    jumlah = Decimal(parpol.jumlah_suara) * tarif.nilai_per_suara if parpol.jumlah_kursi > 0 else Decimal("0")
    return {
        "jumlah_suara": parpol.jumlah_suara,
        "jumlah_kursi": parpol.jumlah_kursi,
        "nilai_per_suara": tarif.nilai_per_suara,
        "jumlah_bantuan": jumlah.quantize(Decimal("0.01")),
    }


@transaction.atomic
def permohonan_banpol_ajukan(*, parpol: Parpol, tahun: int, nomor_surat: str, tanggal_surat, user) -> PermohonanBanpol:
    if parpol.jumlah_kursi == 0:
        raise ParpolTanpaKursi(parpol=parpol.nama)
    existing = (
        PermohonanBanpol.objects.filter(parpol=parpol, tahun_anggaran=tahun).exclude(workflow_state="Ditolak").first()
    )
    if existing is not None:
        raise SudahDiajukan(parpol=parpol.nama, tahun=tahun, name=existing.name)
    hitung = banpol_hitung(parpol, tahun)
    return document_create(
        model=PermohonanBanpol,
        user=user,
        data={
            "parpol": parpol,
            "tahun_anggaran": tahun,
            "nomor_surat_permohonan": nomor_surat,
            "tanggal_surat_permohonan": tanggal_surat,
            **hitung,
        },
    )


def lpj_tertunggak(parpol: Parpol, *, kecuali=None):
    """A disbursement of this party whose LPJ has not been accepted, if any."""
    qs = PencairanBanpol.objects.filter(parpol=parpol, workflow_state__in=["Ditransfer", "Selesai"], lpj_diterima=False)
    if kecuali is not None:
        qs = qs.exclude(pk=kecuali.pk)
    return qs.order_by("tahun_anggaran").first()


@transaction.atomic
def pencairan_banpol_ajukan(*, permohonan: PermohonanBanpol, nomor_surat: str, tanggal_surat, user) -> PencairanBanpol:
    if permohonan.workflow_state != "Dianggarkan":
        raise BelumDianggarkan(name=permohonan.name, state=permohonan.workflow_state)
    earlier = PencairanBanpol.objects.filter(permohonan=permohonan).first()
    if earlier is not None:
        raise SudahDicairkan(name=permohonan.name, pencairan=earlier.name)
    outstanding = lpj_tertunggak(permohonan.parpol)
    if outstanding is not None:
        raise LpjBelumDiterima(parpol=permohonan.parpol.nama, name=outstanding.name)
    return document_create(
        model=PencairanBanpol,
        user=user,
        data={
            "permohonan": permohonan,
            "parpol": permohonan.parpol,
            "tahun_anggaran": permohonan.tahun_anggaran,
            "jumlah": permohonan.jumlah_bantuan,
            "nomor_surat_permohonan": nomor_surat,
            "tanggal_surat_permohonan": tanggal_surat,
        },
    )


def pencairan_on_enter(doc, state, log):
    if state.state == "Ditransfer":
        outstanding = lpj_tertunggak(doc.parpol, kecuali=doc)
        if outstanding is not None:
            raise LpjBelumDiterima(parpol=doc.parpol.nama, name=outstanding.name)
        # LPJ is due one month after the budget year ends
        doc.batas_lpj = datetime.date(doc.tahun_anggaran + 1, 1, 31)


def banpol_register(tahun: int, *, user) -> list[dict]:
    """Per party for a budget year: seats, votes, amount, disbursed, LPJ status.

    Seats and votes are the published election results; the amounts and states
    come only from the applications and disbursements ``user`` may see."""
    permohonan_qs = visible_documents(PermohonanBanpol, user)
    pencairan_qs = visible_documents(PencairanBanpol, user)
    rows = []
    for parpol in Parpol.objects.all():
        permohonan = permohonan_qs.filter(parpol=parpol, tahun_anggaran=tahun).exclude(workflow_state="Ditolak").first()
        pencairan = pencairan_qs.filter(parpol=parpol, tahun_anggaran=tahun).order_by("-created_at").first()
        if pencairan is None:
            lpj = "-"
        elif pencairan.lpj_diterima:
            lpj = str(_("Diterima"))
        elif pencairan.workflow_state in ("Ditransfer", "Selesai"):
            lpj = str(_("Belum diterima"))
        else:
            lpj = "-"
        rows.append(
            {
                "parpol": parpol,
                "kursi": parpol.jumlah_kursi,
                "suara": parpol.jumlah_suara,
                "jumlah": permohonan.jumlah_bantuan if permohonan else Decimal("0"),
                "status_permohonan": permohonan.workflow_state if permohonan else "-",
                "dicairkan": (pencairan.jumlah_transfer or Decimal("0")) if pencairan else Decimal("0"),
                "lpj": lpj,
            }
        )
    return rows
