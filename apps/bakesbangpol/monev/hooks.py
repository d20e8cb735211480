"""Named hooks of the P7 processes defined as data (``validate_hook`` in
their DocType JSON): the rules data cannot express, i.e. totals over child
rows and who entered a row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.dynamic.hooks import rows_of


def rows(doc, fieldname: str) -> list[dict]:
    """The rows of child table ``fieldname`` as they will be saved."""
    return rows_of(doc, fieldname) or []


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


def _date(value):
    import datetime

    if isinstance(value, datetime.date) or value in (None, ""):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@registry.hook("pemantauan_orang_asing")
def pemantauan_orang_asing(doc, user, old):
    """P7.2: the team's size and chair from the SK's composition, the number
    of foreigners registered; a passport is registered once, and a stay or a
    term of office does not end before it begins."""
    tim = rows(doc, "susunan_tim")
    doc.jumlah_anggota_tim = len(tim)
    doc.ketua_tim = next((str(r.get("nama") or "") for r in tim if r.get("kedudukan") == "Ketua"), "")
    errors: dict[str, list] = {}
    if doc.masa_tugas_mulai and doc.masa_tugas_selesai and _date(doc.masa_tugas_selesai) < _date(doc.masa_tugas_mulai):
        errors["masa_tugas_selesai"] = [_("Masa tugas selesai sebelum dimulai.")]
    asing = rows(doc, "orang_asing")
    seen = set()
    for idx, r in enumerate(asing, start=1):
        paspor = str(r.get("nomor_paspor") or "").strip().upper()
        if paspor and paspor in seen:
            errors.setdefault("orang_asing", []).append(
                _("Baris %(n)s: nomor paspor %(paspor)s sudah tercatat.") % {"n": idx, "paspor": paspor}
            )
        seen.add(paspor)
        mulai, selesai = _date(r.get("masa_tinggal_mulai")), _date(r.get("masa_tinggal_selesai"))
        if mulai and selesai and selesai < mulai:
            errors.setdefault("orang_asing", []).append(
                _("Baris %(n)s: masa tinggal selesai sebelum dimulai.") % {"n": idx}
            )
    if errors:
        raise ValidationError(errors)
    doc.jumlah_orang_asing = len(asing)


@registry.hook("laporan_orang_asing_kelurahan")
def laporan_orang_asing_kelurahan(doc, user, old):
    """P7.2 step 9: the number of foreigners a kelurahan reports; a period ends after it begins."""
    if doc.periode_mulai and doc.periode_selesai and _date(doc.periode_selesai) < _date(doc.periode_mulai):
        raise ValidationError({"periode_selesai": [_("Periode selesai sebelum dimulai.")]})
    doc.jumlah_orang_asing = len(rows(doc, "orang_asing"))
