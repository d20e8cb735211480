"""The public services: what the service page shows and what each
application form asks for.

A service is a Python entry of ``LAYANAN`` below or, without code, a JSON
file ``<app>/portal/<slug>.json`` of any installed app with the same keys
as ``Layanan`` (``attachments`` as ``{"key", "label", "required"}``;
``extra`` optional). JSON services follow the Python entries, in app and
file order; a slug already taken by a Python entry is refused.
``extra["public_issued"] = false`` hides the issued letters and the letter
number from the tracking page (a report whose letters are internal)."""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from apps.bakesbangpol.perizinan.models import PERSYARATAN_SKT


@dataclass(frozen=True)
class Berkas:
    key: str
    label: str
    required: bool = True


@dataclass(frozen=True)
class Layanan:
    slug: str
    doctype: str
    title: str
    summary: str
    legal_basis: list
    requirements: list
    attachments: list
    fields: tuple
    returned_state: str
    resubmit_action: str
    sla_path: tuple  # states from application to issue, for the service time
    unit: str
    extra: dict = field(default_factory=dict)


LAYANAN = {
    "skt": Layanan(
        slug="skt",
        doctype="Permohonan SKT",
        title=_("Surat Keterangan Terdaftar (SKT) Ormas/LSM"),
        summary=_("Pendaftaran Organisasi Kemasyarakatan yang tidak berbadan hukum dan berkedudukan di Kota Pasuruan."),
        legal_basis=[
            _("Undang-Undang Nomor 17 Tahun 2013 tentang Organisasi Kemasyarakatan beserta perubahannya"),
            _(
                "Peraturan Menteri Dalam Negeri Nomor 57 Tahun 2017 tentang Pendaftaran dan Pengelolaan Sistem Informasi Organisasi Kemasyarakatan"
            ),
        ],
        requirements=[label for _field, label in PERSYARATAN_SKT],
        attachments=[
            Berkas("surat_permohonan", _("Surat permohonan ditandatangani ketua dan sekretaris")),
            Berkas("akta_pendirian", _("Akta pendirian (memuat AD/ART)")),
            Berkas("susunan_pengurus", _("Susunan pengurus dan program kerja")),
            Berkas("surat_domisili", _("Surat keterangan domisili sekretariat")),
            Berkas("ktp_pengurus", _("KTP dan biodata ketua, sekretaris dan bendahara")),
            Berkas("npwp", _("NPWP atas nama Ormas"), required=False),
            Berkas(
                "surat_pernyataan",
                _("Surat-surat pernyataan (nama/lambang, tidak sengketa, kesanggupan lapor)"),
                required=False,
            ),
            Berkas("foto_sekretariat", _("Foto sekretariat dengan papan nama"), required=False),
        ],
        fields=(
            "nama_ormas",
            "singkatan",
            "bidang_kegiatan",
            "alamat_sekretariat",
            "kelurahan",
            "kecamatan",
            "telepon",
            "email",
            "nomor_akta",
            "tanggal_akta",
            "notaris",
            "npwp",
            "ketua_nama",
            "ketua_nik",
            "sekretaris_nama",
            "bendahara_nama",
            "nomor_surat_permohonan",
            "tanggal_surat_permohonan",
        ),  # fmt: skip
        returned_state="Dikembalikan ke Pemohon",
        resubmit_action="Ajukan Ulang",
        sla_path=("Menunggu Verifikasi", "Survei Lokasi", "Menunggu Persetujuan"),
        unit=_("Bidang Ketahanan Bangsa dan Kemasyarakatan"),
    ),
    "izin-penelitian": Layanan(
        slug="izin-penelitian",
        doctype="Permohonan Izin Penelitian",
        title=_("Surat Izin Penelitian"),
        summary=_(
            "Izin bagi mahasiswa, dosen dan peneliti yang melakukan penelitian, survei atau pengambilan data di Kota Pasuruan."
        ),
        legal_basis=[
            _("Peraturan Menteri Dalam Negeri Nomor 7 Tahun 2014 tentang Pedoman Penerbitan Rekomendasi Penelitian"),
            _("Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2018 tentang Penerbitan Surat Keterangan Penelitian"),
        ],
        requirements=[
            _("Surat pengantar dari perguruan tinggi/instansi (ditandatangani pembimbing atau pimpinan)"),
            _("Proposal penelitian"),
            _("KTP pemohon"),
        ],
        attachments=[
            Berkas("surat_pengantar", _("Surat pengantar perguruan tinggi/instansi")),
            Berkas("proposal", _("Proposal penelitian")),
            Berkas("ktp", _("KTP pemohon")),
        ],
        fields=(
            "nama_peneliti",
            "nik",
            "status_pemohon",
            "instansi",
            "program_studi",
            "alamat",
            "telepon",
            "email",
            "judul",
            "tujuan",
            "lokasi",
            "tanggal_mulai",
            "tanggal_selesai",
            "anggota",
            "pembimbing",
            "nomor_surat_pengantar",
            "tanggal_surat_pengantar",
        ),  # fmt: skip
        returned_state="Dikembalikan ke Pemohon",
        resubmit_action="Ajukan Ulang",
        sla_path=("Menunggu Disposisi", "Diproses Bidang", "Menunggu Tanda Tangan"),
        unit=_("Bidang Ideologi, Wawasan Kebangsaan dan Kewaspadaan Nasional"),
    ),
    "banpol": Layanan(
        slug="banpol",
        doctype="Permohonan Banpol",
        title=_("Bantuan Keuangan Partai Politik (Banpol)"),
        summary=_(
            "Permohonan bantuan keuangan tahunan bagi partai politik yang memperoleh kursi di DPRD Kota Pasuruan; "
            "besarnya dihitung dari jumlah suara sah dikalikan nilai bantuan per suara."
        ),
        legal_basis=[
            _(
                "Undang-Undang Nomor 2 Tahun 2011 tentang Perubahan atas Undang-Undang Nomor 2 Tahun 2008 tentang Partai Politik"
            ),
            _("Peraturan Pemerintah Nomor 1 Tahun 2018 tentang Bantuan Keuangan kepada Partai Politik"),
            _(
                "Peraturan Menteri Dalam Negeri Nomor 78 Tahun 2020 tentang Pedoman Tata Cara Penghitungan, Penganggaran dan Pengajuan Bantuan Keuangan Partai Politik"
            ),
        ],
        requirements=[
            _("Surat permohonan ditandatangani ketua dan sekretaris/bendahara DPC/DPD partai"),
            _("Surat keputusan kepengurusan DPC/DPD yang sah"),
            _("Nomor rekening kas umum partai politik atas nama partai"),
            _("NPWP atas nama partai politik"),
            _("Laporan pertanggungjawaban bantuan keuangan tahun sebelumnya yang telah diperiksa BPK"),
        ],
        attachments=[
            Berkas("surat_permohonan", _("Surat permohonan bantuan keuangan")),
            Berkas("sk_kepengurusan", _("SK kepengurusan DPC/DPD")),
            Berkas("rekening", _("Fotokopi rekening kas umum partai")),
            Berkas("npwp", _("NPWP atas nama partai")),
            Berkas("lpj_tahun_lalu", _("LPJ bantuan keuangan tahun sebelumnya"), required=False),
        ],
        fields=(
            "parpol",
            "tahun_anggaran",
            "nomor_surat_permohonan",
            "tanggal_surat_permohonan",
        ),  # fmt: skip
        returned_state="Dikembalikan ke Parpol",
        resubmit_action="Ajukan Ulang",
        sla_path=("Diajukan", "Diterima Tim Verifikasi", "Verifikasi Berkas TAPD", "Verifikasi Tim"),
        unit=_("Bidang Politik Dalam Negeri"),
        extra={"limit_choices": {"parpol": {"jumlah_kursi__gt": 0}}},
    ),
    "hibah-ormas": Layanan(
        slug="hibah-ormas",
        doctype="Hibah Ormas",
        title=_("Hibah bagi Ormas/LSM"),
        summary=_(
            "Proposal hibah bagi Organisasi Kemasyarakatan/LSM di Kota Pasuruan untuk kegiatan yang mendukung "
            "pembangunan dan usaha UMKM; diverifikasi Bidang Ketahanan Bangsa dan Kemasyarakatan."
        ),
        legal_basis=[
            _("Peraturan Menteri Dalam Negeri Nomor 77 Tahun 2020 tentang Pedoman Teknis Pengelolaan Keuangan Daerah"),
            _("Peraturan Wali Kota Pasuruan tentang Tata Cara Pemberian Hibah dan Bantuan Sosial"),
        ],
        requirements=[
            _("Proposal kegiatan dan rencana anggaran biaya"),
            _("Surat Keterangan Terdaftar (SKT) atau pengesahan badan hukum Ormas/LSM"),
            _("Susunan pengurus dan KTP ketua"),
            _("Rekening bank atas nama organisasi"),
        ],
        attachments=[
            Berkas("proposal", _("Proposal dan rencana anggaran biaya")),
            Berkas("legalitas", _("SKT atau pengesahan badan hukum")),
            Berkas("ktp_ketua", _("KTP ketua")),
            Berkas("rekening", _("Fotokopi rekening atas nama organisasi"), required=False),
        ],
        fields=(
            "nama_ormas",
            "ketua",
            "alamat",
            "judul_proposal",
            "tahun_anggaran",
            "jumlah_diajukan",
            "nama_bank",
            "nomor_rekening",
        ),  # fmt: skip
        returned_state="Dikembalikan ke Ormas",
        resubmit_action="Ajukan Ulang",
        sla_path=("Proposal Diterima", "Menunggu Nota Dinas", "Menunggu Keputusan Wali Kota", "Menunggu Pemberitahuan"),
        unit=_("Bidang Ketahanan Bangsa dan Kemasyarakatan"),
    ),
}


log = logging.getLogger(__name__)
JSON_KEYS = {f for f in Layanan.__dataclass_fields__}


def layanan_from_json(spec: dict, *, slug: str = "") -> Layanan:
    """One service from its JSON definition; ``ValueError`` names what is wrong."""
    unknown = set(spec) - JSON_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if slug and spec.get("slug", slug) != slug:
        raise ValueError(f"slug {spec.get('slug')!r} differs from the file name {slug!r}")
    slug = spec.get("slug") or slug
    missing = [k for k in ("doctype", "title", "fields") if not spec.get(k)]
    if missing:
        raise ValueError(f"missing {missing}")
    return Layanan(
        slug=slug,
        doctype=spec["doctype"],
        title=spec["title"],
        summary=spec.get("summary", ""),
        legal_basis=list(spec.get("legal_basis", [])),
        requirements=list(spec.get("requirements", [])),
        attachments=[Berkas(b["key"], b["label"], bool(b.get("required", True))) for b in spec.get("attachments", [])],
        fields=tuple(spec["fields"]),
        returned_state=spec.get("returned_state", ""),
        resubmit_action=spec.get("resubmit_action", ""),
        sla_path=tuple(spec.get("sla_path", ())),
        unit=spec.get("unit", ""),
        extra=dict(spec.get("extra", {})),
    )


def json_files() -> list[Path]:
    from django.apps import apps

    paths = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "portal"
        if folder.is_dir():
            paths += sorted(folder.glob("*.json"))
    return paths


def load_json_layanan(into: dict) -> list[str]:
    """Add the JSON services to ``into`` (after its entries); their slugs."""
    added = []
    for path in json_files():
        try:
            spec = layanan_from_json(json.loads(path.read_text()), slug=path.stem)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: {exc}") from None
        if spec.slug in into:
            raise ValueError(f"{path}: slug {spec.slug!r} is already a service")
        into[spec.slug] = spec
        added.append(spec.slug)
    return added


load_json_layanan(LAYANAN)


def public_issued(spec: Layanan) -> bool:
    """Whether the tracking page shows the issued letters and the number."""
    return bool(spec.extra.get("public_issued", True))


def by_doctype(doctype: str) -> Layanan | None:
    return next((s for s in LAYANAN.values() if s.doctype == doctype), None)
