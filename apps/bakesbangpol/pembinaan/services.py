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


PERMOHONAN_DRAF = "Diajukan"  # the state before the Tim Verifikasi, the only one where party and year may change


def permohonan_banpol_validate(doc: PermohonanBanpol, user, old) -> None:
    """Every write of an application, from the desk, the API or a service:
    a party with seats, one application per party and year, and the amount
    computed here from the party's votes and the year's rate (never taken
    from the writer). Party and year are fixed once the application leaves
    Diajukan (the desk shows them read-only); the amount then stays as
    verified."""
    if doc.parpol_id is None or doc.tahun_anggaran is None:
        return  # the form or full_clean names the missing field
    changed = old is None or (old.parpol_id, old.tahun_anggaran) != (doc.parpol_id, doc.tahun_anggaran)
    if changed:
        if doc.parpol.jumlah_kursi == 0:
            raise ParpolTanpaKursi(parpol=doc.parpol.nama)
        existing = (
            PermohonanBanpol.objects.filter(parpol_id=doc.parpol_id, tahun_anggaran=doc.tahun_anggaran)
            .exclude(workflow_state="Ditolak")
            .exclude(pk=doc.pk)
            .first()
        )
        if existing is not None:
            raise SudahDiajukan(parpol=doc.parpol.nama, tahun=doc.tahun_anggaran, name=existing.name)
    if changed or doc.workflow_state == PERMOHONAN_DRAF:
        for field, value in banpol_hitung(doc.parpol, doc.tahun_anggaran).items():
            setattr(doc, field, value)


@transaction.atomic
def permohonan_banpol_ajukan(*, parpol: Parpol, tahun: int, nomor_surat: str, tanggal_surat, user) -> PermohonanBanpol:
    """The rules and the amount are the doctype's validate hook, run by document_create."""
    return document_create(
        model=PermohonanBanpol,
        user=user,
        data={
            "parpol": parpol,
            "tahun_anggaran": tahun,
            "nomor_surat_permohonan": nomor_surat,
            "tanggal_surat_permohonan": tanggal_surat,
        },
    )


def lpj_tertunggak(parpol: Parpol, *, kecuali=None):
    """A disbursement of this party whose LPJ has not been accepted, if any."""
    qs = PencairanBanpol.objects.filter(parpol=parpol, workflow_state__in=["Ditransfer", "Selesai"], lpj_diterima=False)
    if kecuali is not None:
        qs = qs.exclude(pk=kecuali.pk)
    return qs.order_by("tahun_anggaran").first()


class TransferMelebihiJumlah(DocflowError):
    default_message = _("Jumlah ditransfer (Rp%(transfer)s) melebihi jumlah yang dicairkan (Rp%(jumlah)s).")


def pencairan_banpol_validate(doc: PencairanBanpol, user, old) -> None:
    """Every write of a disbursement: its application is budgeted and not
    disbursed yet, the party has no LPJ outstanding; party, year and amount
    are those of the application (never the writer's); no more is
    transferred than the amount."""
    if doc.permohonan_id is None:
        return  # the form or full_clean names the missing field
    permohonan = doc.permohonan
    if old is None or old.permohonan_id != doc.permohonan_id:
        if permohonan.workflow_state != "Dianggarkan":
            raise BelumDianggarkan(name=permohonan.name, state=permohonan.workflow_state)
        earlier = PencairanBanpol.objects.filter(permohonan=permohonan).exclude(pk=doc.pk).first()
        if earlier is not None:
            raise SudahDicairkan(name=permohonan.name, pencairan=earlier.name)
        outstanding = lpj_tertunggak(permohonan.parpol, kecuali=doc if doc.pk else None)
        if outstanding is not None:
            raise LpjBelumDiterima(parpol=permohonan.parpol.nama, name=outstanding.name)
    doc.parpol_id = permohonan.parpol_id
    doc.tahun_anggaran = permohonan.tahun_anggaran
    doc.jumlah = permohonan.jumlah_bantuan
    if doc.jumlah_transfer is not None and doc.jumlah_transfer > doc.jumlah:
        raise TransferMelebihiJumlah(transfer=_rupiah(doc.jumlah_transfer), jumlah=_rupiah(doc.jumlah))


def _rupiah(value) -> str:
    return f"{value:,.0f}".replace(",", ".")


@transaction.atomic
def pencairan_banpol_ajukan(*, permohonan: PermohonanBanpol, nomor_surat: str, tanggal_surat, user) -> PencairanBanpol:
    """The rules and the amounts are the doctype's validate hook, run by document_create."""
    return document_create(
        model=PencairanBanpol,
        user=user,
        data={
            "permohonan": permohonan,
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
