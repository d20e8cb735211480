"""P1.2 Persuratan dan kearsipan: incoming letters with their disposition
chain, outgoing official documents (surat dinas, nota dinas, undangan),
decrees (Surat Keputusan) and the archive."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.docflow.models import Document, document_indexes


class Sifat(models.TextChoices):
    BIASA = "Biasa", _("Biasa")
    PENTING = "Penting", _("Penting")
    SEGERA = "Segera", _("Segera")
    RAHASIA = "Rahasia", _("Rahasia")


# --- P1.2.2 reference: archive classification --------------------------------------


class KlasifikasiArsip(models.Model):
    """A code of the archive classification (Tata Kearsipan) with its retention."""

    class NasibAkhir(models.TextChoices):
        MUSNAH = "Musnah", _("Musnah")
        PERMANEN = "Permanen", _("Permanen")
        DINILAI_KEMBALI = "Dinilai Kembali", _("Dinilai kembali")

    kode = models.CharField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("uraian"), max_length=255)
    induk = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="anak", verbose_name=_("induk")
    )
    retensi_aktif = models.PositiveSmallIntegerField(_("retensi aktif (tahun)"), default=2)
    retensi_inaktif = models.PositiveSmallIntegerField(_("retensi inaktif (tahun)"), default=3)
    nasib_akhir = models.CharField(
        _("keterangan akhir"), max_length=20, choices=NasibAkhir.choices, default=NasibAkhir.MUSNAH
    )
    aktif = models.BooleanField(_("dipakai"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Klasifikasi Arsip")
        verbose_name_plural = _("Klasifikasi Arsip")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class InstruksiDisposisi(models.Model):
    """The configurable list of instructions a disposition may carry."""

    nama = models.CharField(_("instruksi"), max_length=120, unique=True)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    aktif = models.BooleanField(_("dipakai"), default=True)

    class Meta:
        verbose_name = _("instruksi disposisi")
        verbose_name_plural = _("instruksi disposisi")
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama


# --- P1.2.1.2 Surat Masuk and Disposisi ---------------------------------------------------


class SuratMasuk(Document):
    """P1.2.1.2 Pelayanan Surat Masuk. Registered by the mail officer (agenda
    number per year), verified, dispositioned by the Kepala Badan to units
    (and further down), acted on, then classified and filed."""

    pengirim = models.CharField(_("pengirim"), max_length=255)
    nomor_surat = models.CharField(_("nomor surat"), max_length=120)
    tanggal_surat = models.DateField(_("tanggal surat"))
    tanggal_diterima = models.DateField(_("tanggal diterima"))
    perihal = models.TextField(_("perihal"))
    sifat = models.CharField(_("sifat"), max_length=10, choices=Sifat.choices, default=Sifat.BIASA)
    lampiran = models.CharField(_("lampiran"), max_length=120, blank=True)
    ringkasan = models.TextField(_("ringkasan isi"), blank=True)
    klasifikasi = models.ForeignKey(
        KlasifikasiArsip,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klasifikasi arsip"),
    )
    disposisi_terbuka = models.PositiveIntegerField(_("disposisi belum selesai"), default=0, editable=False)

    class Meta:
        verbose_name = _("Surat Masuk")
        verbose_name_plural = _("Surat Masuk")
        ordering = ["-created_at"]
        indexes = [*document_indexes("smasuk"), models.Index(fields=["tanggal_surat"], name="smasuk_tgl")]

    def __str__(self):
        return f"{self.number or self.name} {self.perihal[:60]}"

    @property
    def rahasia(self) -> bool:
        return self.sifat == Sifat.RAHASIA


class Disposisi(Document):
    """A disposition of an incoming letter to a unit (and optionally a person),
    with instructions and a due date; recipients may disposition further down,
    keeping the chain, and each marks theirs done with a note."""

    surat_masuk = models.ForeignKey(
        SuratMasuk, on_delete=models.PROTECT, related_name="disposisi", verbose_name=_("surat masuk")
    )
    induk = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lanjutan",
        verbose_name=_("disposisi induk"),
    )
    dari = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dari")
    )
    dari_jabatan = models.CharField(_("jabatan pemberi"), max_length=255, blank=True)
    kepada_unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kepada unit")
    )
    kepada = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kepada (orang)"),
    )
    instruksi = models.ManyToManyField(InstruksiDisposisi, related_name="+", verbose_name=_("instruksi"))
    catatan = models.TextField(_("catatan disposisi"), blank=True)
    batas_waktu = models.DateField(_("batas waktu"), null=True, blank=True)
    tingkat = models.PositiveSmallIntegerField(_("tingkat"), default=1, editable=False)
    lanjutan_terbuka = models.PositiveIntegerField(_("disposisi lanjutan belum selesai"), default=0, editable=False)
    catatan_selesai = models.TextField(_("catatan penyelesaian"), blank=True, editable=False)

    class Meta:
        verbose_name = _("Disposisi")
        verbose_name_plural = _("Disposisi")
        ordering = ["surat_masuk", "tingkat", "created_at"]
        indexes = [*document_indexes("disp"), models.Index(fields=["kepada", "workflow_state"], name="disp_kepada")]

    def __str__(self):
        return f"{self.name} → {self.kepada_unit}"


# --- P1.2.1.1 Surat Keluar (naskah dinas) ----------------------------------------------------


class SuratKeluar(Document):
    """P1.2.1.1 Pelayanan Surat Keluar: request to the Kepala Badan, drafting
    by the unit, review with a correction loop (each revision kept in the
    history), signature by the Kepala Badan or a Plh./Plt., numbering from the
    agency's one outgoing register, distribution, receipt recorded."""

    class Jenis(models.TextChoices):
        SURAT_DINAS = "Surat Dinas", _("Surat Dinas")
        NOTA_DINAS = "Nota Dinas", _("Nota Dinas")
        UNDANGAN = "Surat Undangan", _("Surat Undangan")

    jenis = models.CharField(_("jenis naskah"), max_length=20, choices=Jenis.choices, default=Jenis.SURAT_DINAS)
    klasifikasi = models.ForeignKey(
        KlasifikasiArsip, on_delete=models.PROTECT, related_name="+", verbose_name=_("klasifikasi arsip")
    )
    sifat = models.CharField(_("sifat"), max_length=10, choices=Sifat.choices, default=Sifat.BIASA)
    lampiran = models.CharField(_("lampiran"), max_length=120, blank=True, default="-")
    hal = models.CharField(_("hal"), max_length=255)
    kepada = models.TextField(_("yth. (kepada)"), help_text=_("Satu penerima per baris."))
    alamat_tujuan = models.CharField(_("di (tempat)"), max_length=255, default="Tempat")
    isi = models.TextField(_("isi surat"), help_text=_("Paragraf dipisah baris kosong."))
    acara_hari_tanggal = models.DateField(_("hari/tanggal acara"), null=True, blank=True)
    acara_waktu = models.CharField(_("waktu acara"), max_length=60, blank=True)
    acara_tempat = models.CharField(_("tempat acara"), max_length=255, blank=True)
    acara_agenda = models.CharField(_("acara"), max_length=255, blank=True)
    tembusan = models.TextField(_("tembusan"), blank=True, help_text=_("Satu per baris."))

    class Meta:
        verbose_name = _("Surat Keluar")
        verbose_name_plural = _("Surat Keluar")
        ordering = ["-created_at"]
        indexes = document_indexes("skel")

    def __str__(self):
        return f"{self.number or self.name} {self.hal}"

    @property
    def kode_klasifikasi(self) -> str:
        """The classification code the outgoing register numbers by."""
        return self.klasifikasi.kode if self.klasifikasi_id else ""

    @property
    def paragraf(self):
        return [p.strip() for p in self.isi.split("\n\n") if p.strip()]

    @property
    def daftar_kepada(self):
        return [line.strip() for line in self.kepada.splitlines() if line.strip()]

    @property
    def daftar_tembusan(self):
        return [line.strip() for line in self.tembusan.splitlines() if line.strip()]


class PenerimaSurat(models.Model):
    """One recipient of a sent letter and the receipt recorded for it."""

    surat = models.ForeignKey(SuratKeluar, on_delete=models.CASCADE, related_name="penerima")
    nama = models.CharField(_("penerima (instansi/orang)"), max_length=255)
    internal_unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit internal"),
    )
    dikirim_pada = models.DateField(_("dikirim pada"), null=True, blank=True)
    diterima_pada = models.DateField(_("diterima pada"), null=True, blank=True)
    diterima_oleh = models.CharField(_("diterima oleh"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penerima surat")
        verbose_name_plural = _("penerima surat")

    def __str__(self):
        return self.nama


# --- Surat Keputusan ---------------------------------------------------------------------------


class SuratKeputusan(Document):
    """Keputusan Kepala Badan: title and number, tentang, Menimbang,
    Mengingat, Memperhatikan, MEMUTUSKAN, Menetapkan with numbered diktum,
    place and date, signature, tembusan, and a lampiran. An SK that forms a
    team records its members, who then hold the team's role for its period."""

    tentang = models.CharField(_("tentang"), max_length=500)
    menimbang = models.TextField(_("menimbang"), help_text=_("Satu butir per baris (a, b, c diberikan otomatis)."))
    mengingat = models.TextField(_("mengingat"), help_text=_("Satu dasar hukum per baris."))
    memperhatikan = models.TextField(_("memperhatikan"), blank=True)
    menetapkan = models.CharField(
        _("menetapkan"), max_length=500, help_text=_("Judul keputusan pada bagian Menetapkan.")
    )
    tembusan = models.TextField(_("tembusan"), blank=True)
    kode_klasifikasi = models.CharField(_("kode klasifikasi"), max_length=20, default="188.4")
    tim = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membentuk tim (peran)"),
    )
    tim_mulai = models.DateField(_("masa tugas tim mulai"), null=True, blank=True)
    tim_selesai = models.DateField(_("masa tugas tim selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("Surat Keputusan")
        verbose_name_plural = _("Surat Keputusan")
        ordering = ["-created_at"]
        indexes = document_indexes("sk")
        constraints = [
            models.CheckConstraint(
                condition=Q(tim__isnull=True) | (Q(tim_mulai__isnull=False) & Q(tim_selesai__gte=F("tim_mulai"))),
                name="sk_tim_periode",
            )
        ]

    def __str__(self):
        return f"{self.number or self.name} tentang {self.tentang[:60]}"

    @staticmethod
    def _lines(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def daftar_menimbang(self):
        return self._lines(self.menimbang)

    @property
    def daftar_mengingat(self):
        return self._lines(self.mengingat)

    @property
    def daftar_memperhatikan(self):
        return self._lines(self.memperhatikan)

    @property
    def daftar_tembusan(self):
        return self._lines(self.tembusan)


ORDINAL = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]


class DiktumSK(models.Model):
    sk = models.ForeignKey(SuratKeputusan, on_delete=models.CASCADE, related_name="diktum")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    isi = models.TextField(_("isi diktum"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diktum")
        verbose_name_plural = _("diktum")
        ordering = ["urutan"]
        constraints = [models.UniqueConstraint(fields=["sk", "urutan"], name="sk_diktum_urut")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return ORDINAL[self.urutan - 1] if 1 <= self.urutan <= len(ORDINAL) else f"KE-{self.urutan}"


class AnggotaTimSK(models.Model):
    sk = models.ForeignKey(SuratKeputusan, on_delete=models.CASCADE, related_name="anggota")
    urutan = models.PositiveSmallIntegerField(_("no"), default=1)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pegawai/akun")
    )
    jabatan_tim = models.CharField(_("kedudukan dalam tim"), max_length=30)
    jabatan_dinas = models.CharField(_("jabatan dinas"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim (lampiran)")
        ordering = ["urutan"]

    def __str__(self):
        return f"{self.pengguna} ({self.jabatan_tim})"


# --- P1.2.2 Arsip --------------------------------------------------------------------------------


class Arsip(Document):
    """P1.2.2 Kearsipan: a filed record of an incoming or outgoing letter,
    classified, located, and kept for its retention."""

    sumber_doctype = models.CharField(_("jenis asal"), max_length=140)
    sumber_id = models.PositiveBigIntegerField()
    sumber_nama = models.CharField(_("nomor registrasi asal"), max_length=140)
    nomor_surat = models.CharField(_("nomor surat"), max_length=140, blank=True)
    tanggal_surat = models.DateField(_("tanggal surat"))
    perihal = models.TextField(_("perihal"))
    pengirim_penerima = models.CharField(_("pengirim/penerima"), max_length=255, blank=True)
    klasifikasi = models.ForeignKey(
        KlasifikasiArsip, on_delete=models.PROTECT, related_name="arsip", verbose_name=_("klasifikasi")
    )
    lemari = models.CharField(_("lemari"), max_length=40, blank=True)
    rak = models.CharField(_("rak"), max_length=40, blank=True)
    boks = models.CharField(_("boks"), max_length=40, blank=True)
    map = models.CharField(_("map"), max_length=40, blank=True)
    aktif_sampai = models.DateField(_("aktif sampai"), editable=False)
    inaktif_sampai = models.DateField(_("inaktif sampai"), editable=False)
    nasib_akhir = models.CharField(_("keterangan akhir"), max_length=20, editable=False)

    class Meta:
        verbose_name = _("Arsip")
        verbose_name_plural = _("Arsip")
        ordering = ["-tanggal_surat"]
        indexes = [
            *document_indexes("arsip"),
            models.Index(fields=["aktif_sampai"], name="arsip_aktif_sampai"),
            models.Index(fields=["inaktif_sampai"], name="arsip_inaktif_sampai"),
            models.Index(fields=["sumber_doctype", "sumber_id"], name="arsip_sumber"),
        ]

    def __str__(self):
        return f"{self.klasifikasi.kode} {self.nomor_surat} {self.perihal[:50]}"

    @property
    def lokasi(self) -> str:
        parts = [("Lemari", self.lemari), ("Rak", self.rak), ("Boks", self.boks), ("Map", self.map)]
        return ", ".join(f"{k} {v}" for k, v in parts if v) or "-"

    def hitung_retensi(self):
        base = self.tanggal_surat
        self.aktif_sampai = _add_years(base, self.klasifikasi.retensi_aktif)
        self.inaktif_sampai = _add_years(self.aktif_sampai, self.klasifikasi.retensi_inaktif)
        self.nasib_akhir = self.klasifikasi.nasib_akhir


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
