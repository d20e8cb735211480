"""Rules of P1.1 and P1.2.3 that data cannot express (named hooks of the DocType JSON)."""

from decimal import Decimal, InvalidOperation

from apps.docflow import registry
from apps.docflow.dynamic.hooks import rows_of


def _number(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def rows_total(doc, table: str, quantity: str, price: str):
    """The sum of quantity x price over the rows of ``table`` being saved (or,
    when only the document changes, the stored rows); None without rows."""
    rows = rows_of(doc, table)
    if rows is None:
        return None
    return sum((_number(r.get(quantity)) * _number(r.get(price)) for r in rows), Decimal(0))


@registry.hook("total_kebutuhan_bmd")
def total_kebutuhan_bmd(doc, user, old):
    """P1.2.3: the estimated total of the goods recap (quantity x estimated unit price, every row)."""
    total = rows_total(doc, "rekap", "jumlah", "harga_satuan")
    if total is not None:
        doc.total_kebutuhan = total


@registry.hook("total_rencana_pengadaan")
def total_rencana_pengadaan(doc, user, old):
    """P1.1: the budget plan's total (quantity x unit price, every row)."""
    total = rows_total(doc, "rincian_barang", "jumlah", "harga_satuan")
    if total is not None:
        doc.total_anggaran = total
