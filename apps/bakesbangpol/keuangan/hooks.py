"""Rules of P3.1 that data cannot express (named hooks of the DocType JSON)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.dynamic.hooks import rows_of
from apps.docflow.printing import rupiah

from .models import PERMOHONAN_BATAL, AnggaranDPA


def amount(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def row_total(doc, table: str, column: str):
    """The sum of ``column`` over the rows of ``table`` being saved (or, when
    only the document changes, the stored rows); None without rows."""
    rows = rows_of(doc, table)
    return None if rows is None else sum((amount(r.get(column)) for r in rows), Decimal(0))


@registry.hook("sisa_pagu_anggaran")
def sisa_pagu_anggaran(doc, user, old):
    """Permohonan Pembayaran: the total is the sum of its line items, and it
    may not exceed the remaining ceiling (sisa pagu) of its DPA budget line.
    The budget line's row is locked, so two requests saved at the same time
    are checked one after the other and cannot both use the same rupiah."""
    total = row_total(doc, "rincian", "jumlah")
    if total is not None:
        doc.jumlah = total
    if not doc.anggaran_id or doc.workflow_state == PERMOHONAN_BATAL:
        return
    lines = AnggaranDPA.objects.filter(pk=doc.anggaran_id)
    if transaction.get_connection().in_atomic_block:  # a form's preview check runs outside: no lock to hold
        lines = lines.select_for_update()
    line = lines.first()
    if line is None:
        raise ValidationError({"anggaran": [_("Baris anggaran DPA tidak ditemukan.")]})
    if doc.tahun_anggaran and int(doc.tahun_anggaran) != line.tahun:
        raise ValidationError(
            {
                "anggaran": [
                    _("Baris anggaran DPA tahun %(tahun)s, bukan tahun %(doc)s.")
                    % {"tahun": line.tahun, "doc": doc.tahun_anggaran}
                ]
            }
        )
    sisa = line.pagu - line.terpakai(exclude_pk=doc.pk)
    jumlah = amount(doc.jumlah)
    if jumlah > sisa:
        raise ValidationError(
            {
                "jumlah": [
                    _("Jumlah %(jumlah)s melebihi sisa pagu %(sisa)s pada rekening %(kode)s (pagu %(pagu)s).")
                    % {
                        "jumlah": rupiah(jumlah),
                        "sisa": rupiah(sisa),
                        "kode": line.kode_rekening,
                        "pagu": rupiah(line.pagu),
                    }
                ]
            }
        )
    doc.pagu = line.pagu
    doc.sisa_pagu = sisa - jumlah
