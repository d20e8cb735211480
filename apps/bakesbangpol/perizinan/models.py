"""P8 Pelayanan Perizinan."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.docflow.models import Document, document_indexes

nik_validator = RegexValidator(r"^\d{16}$", _("NIK terdiri dari 16 angka."))
npwp_validator = RegexValidator(r"^[\d.\-]{15,20}$", _("NPWP ditulis 15 atau 16 angka (boleh dengan titik dan strip)."))

# Persyaratan pendaftaran Ormas tidak berbadan hukum di kabupaten/kota
# (Permendagri 57 Tahun 2017, persyaratan SKT), as checklist fields the
# service officer ticks while verifying the documents.
PERSYARATAN_SKT = [
    ("ada_surat_permohonan", _("Surat permohonan pendaftaran ditandatangani ketua dan sekretaris")),
    ("ada_akta_pendirian", _("Akta pendirian oleh notaris yang memuat AD atau AD dan ART")),
    ("ada_program_kerja", _("Program kerja")),
    ("ada_susunan_pengurus", _("Susunan pengurus")),
    ("ada_surat_domisili", _("Surat keterangan domisili sekretariat dari lurah")),
    ("ada_npwp", _("NPWP atas nama Ormas")),
    ("ada_pernyataan_nama_lambang", _("Pernyataan nama, lambang, bendera dan atribut tidak sama dengan pihak lain")),
    ("ada_pernyataan_tidak_sengketa", _("Pernyataan tidak dalam sengketa kepengurusan atau perkara di pengadilan")),
    ("ada_pernyataan_laporan", _("Pernyataan kesanggupan melaporkan kegiatan")),
    ("ada_ktp_biodata_pengurus", _("KTP dan biodata ketua, sekretaris dan bendahara")),
    ("ada_foto_sekretariat", _("Foto kantor/sekretariat dengan papan nama")),
]


class PermohonanSKT(Document):
    """P8.1 Pelayanan Penerbitan Surat Keterangan Terdaftar (SKT) bagi Ormas/LSM.

    Registered by the service officer, verified for completeness (returned
    with a reason when incomplete), surveyed on site, approved by the Kepala
    Badan (or a Plh.), issued with a number and a QR-coded PDF, archived by
    Bidang Ketahanan Bangsa dan Kemasyarakatan and handed to the Ormas.
    """

    nama_ormas = models.CharField(_("nama Ormas/LSM"), max_length=255)
    singkatan = models.CharField(_("singkatan"), max_length=60, blank=True)
    bidang_kegiatan = models.CharField(_("bidang kegiatan"), max_length=255)
    alamat_sekretariat = models.TextField(_("alamat sekretariat"))
    kelurahan = models.CharField(_("kelurahan"), max_length=120, blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=120, blank=True)
    telepon = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    nomor_akta = models.CharField(_("nomor akta pendirian"), max_length=120, blank=True)
    tanggal_akta = models.DateField(_("tanggal akta"), null=True, blank=True)
    notaris = models.CharField(_("notaris"), max_length=255, blank=True)
    npwp = models.CharField(_("NPWP Ormas"), max_length=20, blank=True, validators=[npwp_validator])
    ketua_nama = models.CharField(_("nama ketua"), max_length=255)
    ketua_nik = models.CharField(_("NIK ketua"), max_length=16, validators=[nik_validator])
    sekretaris_nama = models.CharField(_("nama sekretaris"), max_length=255)
    bendahara_nama = models.CharField(_("nama bendahara"), max_length=255)
    nomor_surat_permohonan = models.CharField(_("nomor surat permohonan"), max_length=120, blank=True)
    tanggal_surat_permohonan = models.DateField(_("tanggal surat permohonan"), null=True, blank=True)

    ada_surat_permohonan = models.BooleanField(PERSYARATAN_SKT[0][1], default=False)
    ada_akta_pendirian = models.BooleanField(PERSYARATAN_SKT[1][1], default=False)
    ada_program_kerja = models.BooleanField(PERSYARATAN_SKT[2][1], default=False)
    ada_susunan_pengurus = models.BooleanField(PERSYARATAN_SKT[3][1], default=False)
    ada_surat_domisili = models.BooleanField(PERSYARATAN_SKT[4][1], default=False)
    ada_npwp = models.BooleanField(PERSYARATAN_SKT[5][1], default=False)
    ada_pernyataan_nama_lambang = models.BooleanField(PERSYARATAN_SKT[6][1], default=False)
    ada_pernyataan_tidak_sengketa = models.BooleanField(PERSYARATAN_SKT[7][1], default=False)
    ada_pernyataan_laporan = models.BooleanField(PERSYARATAN_SKT[8][1], default=False)
    ada_ktp_biodata_pengurus = models.BooleanField(PERSYARATAN_SKT[9][1], default=False)
    ada_foto_sekretariat = models.BooleanField(PERSYARATAN_SKT[10][1], default=False)

    tanggal_survei = models.DateField(_("tanggal survei lokasi"), null=True, blank=True)
    petugas_survei = models.CharField(_("petugas survei"), max_length=255, blank=True)
    hasil_survei = models.TextField(_("hasil survei lokasi"), blank=True)

    kode_klasifikasi = models.CharField(_("kode klasifikasi arsip"), max_length=20, default="220")
    masa_berlaku_sampai = models.DateField(_("SKT berlaku sampai"), null=True, blank=True, editable=False)
    lokasi_arsip = models.CharField(_("lokasi arsip"), max_length=255, blank=True)
    diterima_oleh = models.CharField(_("SKT diterima oleh"), max_length=255, blank=True)
    tanggal_penyerahan = models.DateField(_("tanggal penyerahan"), null=True, blank=True)

    class Meta:
        verbose_name = _("Permohonan SKT")
        verbose_name_plural = _("Permohonan SKT")
        ordering = ["-created_at"]
        indexes = document_indexes("pskt")

    def __str__(self):
        return f"{self.name} {self.nama_ormas}"

    @property
    def persyaratan(self):
        return [(label, getattr(self, field)) for field, label in PERSYARATAN_SKT]


class PermohonanIzinPenelitian(Document):
    """P8.2 Pelayanan Penerbitan Surat Izin Penelitian.

    The applicant (student, lecturer, researcher) applies with the
    institution's covering letter and the proposal; the Kepala Badan
    dispositions it to Bidang Ideologi, Wawasan Kebangsaan dan Kewaspadaan
    Nasional, which processes it (returned with a reason when incomplete);
    the letter is signed by the Kepala Badan (or a Plh.), numbered from the
    outgoing register and issued as a QR-coded PDF the applicant downloads.
    Basis: Permendagri 7/2014 as amended by Permendagri 3/2018 (Surat
    Keterangan Penelitian).
    """

    class StatusPemohon(models.TextChoices):
        MAHASISWA_D3 = "Mahasiswa D3", _("Mahasiswa D3")
        MAHASISWA_S1 = "Mahasiswa S1", _("Mahasiswa S1")
        MAHASISWA_S2 = "Mahasiswa S2", _("Mahasiswa S2")
        MAHASISWA_S3 = "Mahasiswa S3", _("Mahasiswa S3")
        DOSEN = "Dosen", _("Dosen")
        PENELITI = "Peneliti", _("Peneliti lembaga")
        UMUM = "Umum", _("Umum")

    nama_peneliti = models.CharField(_("nama peneliti"), max_length=255)
    nik = models.CharField(_("NIK"), max_length=16, validators=[nik_validator])
    status_pemohon = models.CharField(_("status pemohon"), max_length=20, choices=StatusPemohon.choices)
    instansi = models.CharField(_("instansi/perguruan tinggi"), max_length=255)
    program_studi = models.CharField(_("fakultas/program studi"), max_length=255, blank=True)
    alamat = models.TextField(_("alamat pemohon"))
    telepon = models.CharField(_("telepon"), max_length=30)
    email = models.EmailField(_("surel"), blank=True)
    judul = models.TextField(_("judul penelitian"))
    tujuan = models.TextField(_("tujuan penelitian"))
    lokasi = models.TextField(_("lokasi penelitian"), help_text=_("Satu lokasi per baris."))
    tanggal_mulai = models.DateField(_("mulai penelitian"))
    tanggal_selesai = models.DateField(_("selesai penelitian"))
    anggota = models.TextField(_("anggota tim"), blank=True, help_text=_("Satu nama per baris."))
    pembimbing = models.CharField(_("dosen pembimbing/penanggung jawab"), max_length=255, blank=True)
    nomor_surat_pengantar = models.CharField(_("nomor surat pengantar"), max_length=120)
    tanggal_surat_pengantar = models.DateField(_("tanggal surat pengantar"))
    kode_klasifikasi = models.CharField(_("kode klasifikasi arsip"), max_length=20, default="070")

    class Meta:
        verbose_name = _("Permohonan Izin Penelitian")
        verbose_name_plural = _("Permohonan Izin Penelitian")
        ordering = ["-created_at"]
        indexes = document_indexes("pip")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tanggal_selesai__gte=models.F("tanggal_mulai")), name="pip_periode_urut"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.nama_peneliti}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.tanggal_mulai and self.tanggal_selesai and self.tanggal_selesai < self.tanggal_mulai:
            raise ValidationError(
                {"tanggal_selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai penelitian.")}
            )

    @property
    def daftar_lokasi(self):
        return [line.strip() for line in self.lokasi.splitlines() if line.strip()]

    @property
    def daftar_anggota(self):
        return [line.strip() for line in self.anggota.splitlines() if line.strip()]
