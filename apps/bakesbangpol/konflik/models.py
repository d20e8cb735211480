"""P6.3 Fasilitasi Kewaspadaan: hibah for TNI/Polri."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.docflow.models import Document, RupiahField, document_indexes

RUPIAH = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class HibahKewaspadaan(Document):
    """Proposal of a TNI/Polri unit, the Wali Kota's and the Kepala Badan's
    dispositions, the Tim Verifikasi Hibah (returned when incomplete), the
    recommendation, TAPD and RKPD, the Wali Kota's approval, RKA, adjustment
    of the proposal, disbursement."""

    pemohon = models.CharField(_("instansi pemohon (TNI/Polri)"), max_length=255)
    pimpinan = models.CharField(_("pimpinan instansi"), max_length=255)
    judul_proposal = models.CharField(_("judul proposal"), max_length=255)
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"))
    jumlah_diajukan = RupiahField(_("jumlah diajukan"), **RUPIAH)
    jumlah_direkomendasikan = RupiahField(_("jumlah direkomendasikan"), null=True, blank=True, **RUPIAH)
    pertimbangan = models.TextField(_("pertimbangan rekomendasi"), blank=True)
    pagu_disetujui = RupiahField(_("pagu disetujui Wali Kota"), null=True, blank=True, **RUPIAH)
    nomor_rka = models.CharField(_("nomor RKA/DPA"), max_length=120, blank=True)
    jumlah_disesuaikan = RupiahField(_("jumlah proposal setelah penyesuaian"), null=True, blank=True, **RUPIAH)
    tanggal_transfer = models.DateField(_("tanggal pencairan"), null=True, blank=True)
    jumlah_transfer = RupiahField(_("jumlah dicairkan"), null=True, blank=True, **RUPIAH)
    referensi_transfer = models.CharField(_("referensi pencairan"), max_length=120, blank=True)
    kode_klasifikasi = models.CharField(_("kode klasifikasi"), max_length=20, default="900")

    class Meta:
        verbose_name = _("Hibah Kewaspadaan")
        verbose_name_plural = _("Hibah Kewaspadaan")
        ordering = ["-tahun_anggaran", "pemohon"]
        indexes = document_indexes("hkew")

    def __str__(self):
        return f"{self.name} {self.pemohon}"
