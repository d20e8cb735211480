"""P5.4 Bantuan Keuangan Partai Politik (Banpol) and P5.6.2 Hibah Ormas/LSM.
Amounts are Decimal end to end."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.docflow.models import Document, RupiahField, document_indexes

RUPIAH = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Parpol(models.Model):
    """A political party with its result in the last legislative election in
    Kota Pasuruan: only parties with seats in the DPRD receive Banpol."""

    nama = models.CharField(_("nama partai"), max_length=255, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=30, unique=True)
    tahun_pemilu = models.PositiveSmallIntegerField(_("pemilu tahun"))
    jumlah_suara = models.PositiveIntegerField(_("suara sah"))
    jumlah_kursi = models.PositiveSmallIntegerField(_("kursi DPRD"))
    ketua = models.CharField(_("ketua"), max_length=255, blank=True)
    sekretaris = models.CharField(_("sekretaris"), max_length=255, blank=True)
    bendahara = models.CharField(_("bendahara"), max_length=255, blank=True)
    alamat = models.TextField(_("alamat sekretariat"), blank=True)
    nama_bank = models.CharField(_("bank"), max_length=120, blank=True)
    nomor_rekening = models.CharField(_("nomor rekening"), max_length=40, blank=True)
    atas_nama_rekening = models.CharField(_("atas nama rekening"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Parpol")
        verbose_name_plural = _("Parpol")
        ordering = ["-jumlah_kursi", "-jumlah_suara", "nama"]

    def __str__(self):
        return self.singkatan or self.nama


class TarifBanpol(models.Model):
    """Rupiah per valid vote, per budget year (Rp4.860 in the seed document)."""

    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"), unique=True)
    nilai_per_suara = RupiahField(_("nilai per suara (Rp)"), **RUPIAH)
    dasar = models.CharField(_("dasar penetapan"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarif Banpol")
        verbose_name_plural = _("tarif Banpol")
        ordering = ["-tahun_anggaran"]

    def __str__(self):
        return f"{self.tahun_anggaran}: Rp{self.nilai_per_suara}"


class PermohonanBanpol(Document):
    """P5.4.1 Permohonan dan Perencanaan Banpol: the application, received by
    the Tim Verifikasi and sent to TAPD, TAPD's verification result and
    recommendation back to the Tim Verifikasi, whose decision (a quorum of its
    members) lets the party apply to the Wali Kota through TAPD, and TAPD's
    budgeting. Parties that fail stop with a reason."""

    parpol = models.ForeignKey(Parpol, on_delete=models.PROTECT, related_name="permohonan", verbose_name=_("partai"))
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    nomor_surat_permohonan = models.CharField(_("nomor surat permohonan"), max_length=120)
    tanggal_surat_permohonan = models.DateField(_("tanggal surat permohonan"))
    jumlah_suara = models.PositiveIntegerField(_("suara sah"), editable=False)
    jumlah_kursi = models.PositiveSmallIntegerField(_("kursi DPRD"), editable=False)
    nilai_per_suara = RupiahField(_("nilai per suara"), editable=False, **RUPIAH)
    jumlah_bantuan = RupiahField(_("jumlah bantuan"), editable=False, **RUPIAH)
    hasil_verifikasi_tapd = models.TextField(_("hasil verifikasi TAPD"), blank=True)
    rekomendasi_tapd = models.TextField(_("rekomendasi TAPD"), blank=True)
    nomor_surat_pengajuan_wali_kota = models.CharField(
        _("nomor surat pengajuan Parpol ke Wali Kota"), max_length=120, blank=True
    )
    tanggal_surat_pengajuan_wali_kota = models.DateField(
        _("tanggal surat pengajuan ke Wali Kota"), null=True, blank=True
    )
    disposisi_wali_kota = models.TextField(_("disposisi Wali Kota"), blank=True)
    nomor_dokumen_anggaran = models.CharField(_("nomor dokumen penganggaran (DPA/APBD)"), max_length=120, blank=True)
    tanggal_penetapan_anggaran = models.DateField(_("tanggal penetapan anggaran"), null=True, blank=True)
    kode_klasifikasi = models.CharField(_("kode klasifikasi"), max_length=20, default="210")

    class Meta:
        verbose_name = _("Permohonan Banpol")
        verbose_name_plural = _("Permohonan Banpol")
        ordering = ["-tahun_anggaran", "parpol"]
        indexes = document_indexes("pbanpol")
        constraints = [
            models.UniqueConstraint(
                fields=["parpol", "tahun_anggaran"],
                condition=~Q(workflow_state="Ditolak"),
                name="pbanpol_sekali_setahun",
            )
        ]

    def __str__(self):
        return f"{self.name} {self.parpol} {self.tahun_anggaran}"


class PencairanBanpol(Document):
    """P5.4.2 Pencairan Banpol: the party applies to the Wali Kota, the Tim
    Verifikasi verifies (returned with a reason when incomplete), the transfer
    is recorded, and the party's accountability report (LPJ) falls due."""

    permohonan = models.ForeignKey(
        PermohonanBanpol, on_delete=models.PROTECT, related_name="pencairan", verbose_name=_("permohonan Banpol")
    )
    parpol = models.ForeignKey(Parpol, on_delete=models.PROTECT, related_name="pencairan", verbose_name=_("partai"))
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    jumlah = RupiahField(_("jumlah yang dicairkan"), **RUPIAH)
    nomor_surat_permohonan = models.CharField(_("nomor surat permohonan ke Wali Kota"), max_length=120)
    tanggal_surat_permohonan = models.DateField(_("tanggal surat permohonan"))
    tanggal_transfer = models.DateField(_("tanggal transfer"), null=True, blank=True)
    jumlah_transfer = RupiahField(_("jumlah ditransfer"), null=True, blank=True, **RUPIAH)
    referensi_transfer = models.CharField(_("referensi transfer (SP2D/bukti bank)"), max_length=120, blank=True)
    batas_lpj = models.DateField(_("batas LPJ"), null=True, blank=True, editable=False)
    lpj_diterima = models.BooleanField(_("LPJ diterima"), default=False, editable=False)

    class Meta:
        verbose_name = _("Pencairan Banpol")
        verbose_name_plural = _("Pencairan Banpol")
        ordering = ["-tahun_anggaran", "parpol"]
        indexes = document_indexes("cbanpol")
        constraints = [models.UniqueConstraint(fields=["permohonan"], name="cbanpol_sekali_per_permohonan")]

    def __str__(self):
        return f"{self.name} {self.parpol} {self.tahun_anggaran}"


class HibahOrmas(Document):
    """P5.6.2 Hibah Ormas/LSM: proposal, verification by Bidang Ketahanan
    Bangsa dan Kemasyarakatan, nota dinas to the Wali Kota, the Wali Kota's
    decision and pagu (recorded with evidence), notice to the Ormas, proposal
    for disbursement, the division's disbursement paperwork (NPHD, a numbered
    cover letter), and the transfer by the Bagian Keuangan."""

    nama_ormas = models.CharField(_("nama Ormas/LSM"), max_length=255)
    skt = models.ForeignKey(
        "perizinan.PermohonanSKT",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SKT"),
    )
    ketua = models.CharField(_("ketua"), max_length=255)
    alamat = models.TextField(_("alamat"))
    judul_proposal = models.CharField(_("judul proposal"), max_length=255)
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    jumlah_diajukan = RupiahField(_("jumlah diajukan"), **RUPIAH)
    pagu_disetujui = RupiahField(_("pagu disetujui Wali Kota"), null=True, blank=True, **RUPIAH)
    nomor_keputusan_wali_kota = models.CharField(_("nomor keputusan/disposisi Wali Kota"), max_length=120, blank=True)
    tanggal_transfer = models.DateField(_("tanggal transfer"), null=True, blank=True)
    jumlah_transfer = RupiahField(_("jumlah ditransfer"), null=True, blank=True, **RUPIAH)
    referensi_transfer = models.CharField(_("referensi transfer"), max_length=120, blank=True)
    nama_bank = models.CharField(_("bank"), max_length=120, blank=True)
    nomor_rekening = models.CharField(_("nomor rekening"), max_length=40, blank=True)
    tanggal_usulan_pencairan = models.DateField(_("tanggal usulan pencairan dari Ormas"), null=True, blank=True)
    nomor_nphd = models.CharField(_("nomor Naskah Perjanjian Hibah Daerah (NPHD)"), max_length=120, blank=True)
    tanggal_nphd = models.DateField(_("tanggal NPHD"), null=True, blank=True)
    kode_klasifikasi = models.CharField(_("kode klasifikasi"), max_length=20, default="900")

    class Meta:
        verbose_name = _("Hibah Ormas")
        verbose_name_plural = _("Hibah Ormas")
        ordering = ["-tahun_anggaran", "nama_ormas"]
        indexes = document_indexes("hormas")

    def __str__(self):
        return f"{self.name} {self.nama_ormas}"
