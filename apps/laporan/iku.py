"""IKU realisation computed from the documents (issue 14). A hand-entered
``RealisasiIKU`` (with evidence) overrides the computed figure; the dashboard
shows both. Every figure is computed through the visibility selector for the
user who reads it (the Kepala Badan and the Sekretaris see the agency's), so
its drill-down lists exactly the documents counted. A process that is not
defined (yet) contributes nothing: it is looked up in the registry by name.

- IKU 2, growth of active Ormas (%): an Ormas is active in a year when it
  holds an SKT valid in that year (P8.1), was found active by a finished
  Pengawasan Ormas (P7.4), or took part in a Pembinaan Ormas (P5.6.1); one
  found inactive by a finished Pengawasan Ormas that year is not. Growth =
  (active this year - active last year) / active last year.
- IKU 3, voter participation (%): pengguna hak pilih / DPT over the TPS of
  the recaps sent to the Province (Pemantauan Pemilu, P7.1) of the year.
- IKU 4, conflict reduction (%): conflicts handled (Penanganan Konflik,
  P6.1, by date of the incident) last year against this year; the early
  detection of the year (Deteksi Dini Wilayah, P6.2) is shown alongside.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.selectors import visible_documents

from .selectors import data_doctype

SKT_ISSUED = ("SKT Terbit", "Diarsipkan", "Diserahkan")
DIHITUNG, PEMBANDING, PENDUKUNG = "dihitung", "pembanding", "pendukung"


@dataclass
class Dokumen:
    doctype: str
    name: str
    judul: str
    tahun: int
    peran: str  # dihitung (this year), pembanding (last year), pendukung (shown, not counted)
    keterangan: str
    url: str


@dataclass
class Terhitung:
    nilai: Decimal | None
    keterangan: str
    dokumen: list[Dokumen] = field(default_factory=list)

    @property
    def dihitung(self) -> list[Dokumen]:
        return [d for d in self.dokumen if d.peran != PENDUKUNG]


def _has(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _docs(info, user):
    return visible_documents(info.model, user) if user is not None else info.model._default_manager.all()


def _ref(doctype, doc, tahun, peran, keterangan="", judul=None) -> Dokumen:
    return Dokumen(doctype, doc.name, judul or str(doc), tahun, peran, keterangan, registry.desk_url(doc))


def _percent(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


# --- IKU 3 ---------------------------------------------------------------------


def partisipasi_pemilih(year: int, user=None) -> Terhitung | None:
    info = data_doctype("Pemantauan Pemilu")
    if info is None:
        return None
    docs = list(_docs(info, user).filter(tahun=year, docstatus=1).order_by("name"))
    if not docs:
        return None
    dpt = sum(d.total_dpt or 0 for d in docs)
    voted = sum(d.total_pengguna_hak_pilih or 0 for d in docs)
    return Terhitung(
        _percent(voted, dpt),
        _("%(voted)s pengguna hak pilih dari %(dpt)s DPT di %(tps)s TPS yang diamati (%(n)s rekapitulasi terkirim).")
        % {"voted": voted, "dpt": dpt, "tps": sum(d.jumlah_tps_diamati or 0 for d in docs), "n": len(docs)},
        [
            _ref(
                info.doctype,
                d,
                year,
                DIHITUNG,
                _("DPT %(dpt)s, pengguna %(voted)s") % {"dpt": d.total_dpt, "voted": d.total_pengguna_hak_pilih},
                d.nama_pemilu,
            )
            for d in docs
        ],
    )


# --- IKU 2 ---------------------------------------------------------------------


def _key(name) -> str:
    return " ".join(str(name or "").lower().split())


def _ormas_aktif(year: int, user, peran: str) -> tuple[set, list[Dokumen]]:
    """The active Ormas of ``year`` (normalised names) and the documents that say so."""

    active: set[str] = set()
    inactive: set[str] = set()
    refs: list[Dokumen] = []
    start = datetime.date(year, 1, 1)
    skt = data_doctype("Permohonan SKT")
    if skt is not None:
        qs = (
            _docs(skt, user)
            .filter(workflow_state__in=SKT_ISSUED, number_date__year__lte=year)
            .exclude(masa_berlaku_sampai__lt=start)
            .order_by("name")
        )
        for d in qs:
            active.add(_key(d.nama_ormas))
            refs.append(_ref(skt.doctype, d, year, peran, _("SKT berlaku"), d.nama_ormas))
    pengawasan = data_doctype("Pengawasan Ormas")
    if pengawasan is not None:
        for d in _docs(pengawasan, user).filter(tahun=year, docstatus=1).order_by("name"):
            (active if d.status_aktif == "Aktif" else inactive).add(_key(d.nama_ormas))
            refs.append(_ref(pengawasan.doctype, d, year, peran, d.status_aktif or "-", d.nama_ormas))
    pembinaan = data_doctype("Pembinaan Ormas")
    if pembinaan is not None and "peserta_ormas" in pembinaan.children and _has(pembinaan.model, "tahun_anggaran"):
        docs = _docs(pembinaan, user).filter(tahun_anggaran=year, docstatus=1)
        child = pembinaan.children["peserta_ormas"]
        names: dict = {}
        for row in child._default_manager.filter(parent__in=docs).select_related("parent"):
            names.setdefault(row.parent, []).append(getattr(row, "nama_ormas", ""))
        for d, members in sorted(names.items(), key=lambda x: x[0].name):
            active.update(_key(n) for n in members if n)
            refs.append(_ref(pembinaan.doctype, d, year, peran, _("%(n)s Ormas peserta") % {"n": len(members)}))
    active.discard("")
    return active - inactive, refs


def pertumbuhan_ormas(year: int, user=None) -> Terhitung | None:
    now, refs_now = _ormas_aktif(year, user, DIHITUNG)
    before, refs_before = _ormas_aktif(year - 1, user, PEMBANDING)
    if not now and not before:
        return None
    nilai = _percent(len(now) - len(before), len(before))
    return Terhitung(
        nilai,
        _("%(now)s Ormas aktif pada %(year)s, %(before)s pada %(last)s.")
        % {"now": len(now), "year": year, "before": len(before), "last": year - 1},
        refs_now + refs_before,
    )


# --- IKU 4 ---------------------------------------------------------------------


def _konflik(info, user, year: int):
    qs = _docs(info, user).exclude(workflow_state="Tidak Ditindaklanjuti")
    if _has(info.model, "tanggal_kejadian"):
        return qs.filter(tanggal_kejadian__year=year).order_by("name")
    return qs.filter(created_at__year=year).order_by("name")


def penurunan_konflik(year: int, user=None) -> Terhitung | None:
    info = data_doctype("Penanganan Konflik")
    if info is None:
        return None
    now = list(_konflik(info, user, year))
    before = list(_konflik(info, user, year - 1))
    if not now and not before:
        return None
    refs = [_ref(info.doctype, d, year, DIHITUNG) for d in now]
    refs += [_ref(info.doctype, d, year - 1, PEMBANDING) for d in before]
    text = _("%(now)s konflik ditangani pada %(year)s, %(before)s pada %(last)s.") % {
        "now": len(now),
        "year": year,
        "before": len(before),
        "last": year - 1,
    }
    deteksi = data_doctype("Deteksi Dini Wilayah")
    if deteksi is not None and _has(deteksi.model, "tahun_anggaran"):
        early = list(_docs(deteksi, user).filter(tahun_anggaran=year).order_by("name"))
        rows = 0
        if "potensi_konflik" in deteksi.children:
            rows = deteksi.children["potensi_konflik"]._default_manager.filter(parent__in=early).count()
        refs += [_ref(deteksi.doctype, d, year, PENDUKUNG, _("deteksi dini")) for d in early]
        text += " " + _("Deteksi dini: %(n)s potensi konflik terpetakan.") % {"n": rows}
    return Terhitung(_percent(len(before) - len(now), len(before)), text, refs)


COMPUTED = {2: pertumbuhan_ormas, 3: partisipasi_pemilih, 4: penurunan_konflik}


def terhitung(urutan: int, year: int, user=None) -> Terhitung | None:
    """The realisation of IKU ``urutan`` in ``year`` computed from the documents
    ``user`` may see (None: not computable from data)."""
    compute = COMPUTED.get(urutan)
    return compute(year, user) if compute else None
