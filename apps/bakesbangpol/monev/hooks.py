"""Named hooks of the P7 processes defined as data (``validate_hook`` in
their DocType JSON): the rules data cannot express, i.e. totals over child
rows and who entered a row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.docflow import registry


def rows(doc, fieldname: str) -> list[dict]:
    """The rows of child table ``fieldname`` as they will be saved: the rows
    being written with this change, else the stored ones."""
    pending = getattr(doc, "_docflow_rows", None) or {}
    if fieldname in pending:
        out = []
        for row in pending[fieldname] or []:
            if isinstance(row, dict):
                out.append(row)
            else:  # a child model instance
                out.append({f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
        return out
    if not doc.pk:
        return []
    child = registry.for_model(doc).children.get(fieldname)
    return list(child._default_manager.filter(parent=doc).order_by("idx", "pk").values()) if child else []


def number(value) -> int:
    if value in (None, ""):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Nilai %(value)s bukan bilangan bulat.") % {"value": value}) from None


def total(items: list[dict], key: str) -> int:
    return sum(number(r.get(key)) for r in items)


def partisipasi(pengguna: int, dpt: int) -> float | None:
    """Participation in percent, two decimals: voters who voted over registered voters."""
    return round(pengguna * 100 / dpt, 2) if dpt else None


@registry.hook("rekap_pemantauan_pemilu")
def rekap_pemantauan_pemilu(doc, user, old):
    """P7.1: the election data and the observers' TPS results summed, and the
    participation (pengguna hak pilih / DPT); each TPS row keeps the account
    of the observer who entered it."""
    wilayah = rows(doc, "data_wilayah")
    doc.total_penduduk = total(wilayah, "jumlah_penduduk")
    doc.total_dps = total(wilayah, "jumlah_dps")
    doc.total_pemilih_pemula = total(wilayah, "pemilih_pemula")
    doc.total_tps = total(wilayah, "jumlah_tps")
    doc.jumlah_petugas = len(rows(doc, "tim_pengamat"))

    hasil = rows(doc, "hasil_pengamatan")
    pending = getattr(doc, "_docflow_rows", None) or {}
    if "hasil_pengamatan" in pending and user is not None:
        stored = {}
        if doc.pk:
            child = registry.for_model(doc).children["hasil_pengamatan"]
            for r in child._default_manager.filter(parent=doc).values("tps", "kelurahan", "pengamat_id"):
                stored[(r["tps"].strip().lower(), r["kelurahan"].strip().lower())] = r["pengamat_id"]
        for r in hasil:
            if r.get("pengamat") or r.get("pengamat_id"):
                continue
            key = (str(r.get("tps") or "").strip().lower(), str(r.get("kelurahan") or "").strip().lower())
            r["pengamat"] = stored.get(key) or user.pk
    errors = []
    for idx, r in enumerate(hasil, start=1):
        dpt, pengguna = number(r.get("dpt")), number(r.get("pengguna_hak_pilih"))
        sah, tidak_sah = number(r.get("suara_sah")), number(r.get("suara_tidak_sah"))
        if pengguna > dpt:
            errors.append(
                _("Baris %(n)s (%(tps)s): pengguna hak pilih melebihi DPT.") % {"n": idx, "tps": r.get("tps")}
            )
        if sah + tidak_sah > pengguna:
            errors.append(
                _("Baris %(n)s (%(tps)s): suara sah dan tidak sah melebihi pengguna hak pilih.")
                % {"n": idx, "tps": r.get("tps")}
            )
    if errors:
        raise ValidationError({"hasil_pengamatan": errors})
    doc.jumlah_tps_diamati = len(hasil)
    doc.total_dpt = total(hasil, "dpt")
    doc.total_pengguna_hak_pilih = total(hasil, "pengguna_hak_pilih")
    doc.total_suara_sah = total(hasil, "suara_sah")
    doc.total_suara_tidak_sah = total(hasil, "suara_tidak_sah")
    doc.partisipasi_persen = partisipasi(doc.total_pengguna_hak_pilih, doc.total_dpt)
