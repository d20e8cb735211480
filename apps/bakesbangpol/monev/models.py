"""P7.3 Monev Hibah/Banpol: confirmation of receipt, the recipient's report
on the use of funds (LPJ), its verification, and the signed monitoring
result; for Banpol (Monev Banpol) and for grants (Monev Hibah)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.docflow.models import Document, RupiahField, document_indexes


class MonevBanpol(Document):
    pencairan = models.OneToOneField(
        "pembinaan.PencairanBanpol", on_delete=models.PROTECT, related_name="monev", verbose_name=_("pencairan Banpol")
    )
    tanggal_konfirmasi = models.DateField(_("tanggal konfirmasi penerimaan"), null=True, blank=True)
    tanggal_lpj = models.DateField(_("tanggal LPJ diterima"), null=True, blank=True)
    jumlah_digunakan = RupiahField(
        _("jumlah digunakan menurut LPJ"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hasil_verifikasi = models.TextField(_("hasil verifikasi LPJ"), blank=True)
    hasil_monitoring = models.TextField(_("hasil monitoring"), blank=True)

    class Meta:
        verbose_name = _("Monev Banpol")
        verbose_name_plural = _("Monev Banpol")
        ordering = ["-created_at"]
        indexes = document_indexes("monevb")

    def __str__(self):
        return f"{self.name} {self.pencairan.parpol}"


class MonevHibah(Document):
    """P7.3 for grants, done as for Banpol: a disbursed Hibah Ormas/LSM
    (P5.6.2) or Hibah Kewaspadaan (P6.3) is confirmed with its recipient, the
    recipient's report on the use of the grant is received and verified, and
    the monitoring result is signed. Exactly one of the two grants is linked;
    recipient, year and amount are copied from it, never typed."""

    class Jenis(models.TextChoices):
        ORMAS = "Hibah Ormas/LSM", _("Hibah Ormas/LSM")
        KEWASPADAAN = "Hibah Kewaspadaan", _("Hibah Kewaspadaan (TNI/Polri)")

    hibah_ormas = models.OneToOneField(
        "pembinaan.HibahOrmas",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monev",
        verbose_name=_("hibah Ormas/LSM"),
    )
    hibah_kewaspadaan = models.OneToOneField(
        "konflik.HibahKewaspadaan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monev",
        verbose_name=_("hibah kewaspadaan"),
    )
    jenis_hibah = models.CharField(_("jenis hibah"), max_length=40, choices=Jenis.choices, editable=False)
    penerima = models.CharField(_("penerima hibah"), max_length=255, editable=False)
    kegiatan = models.CharField(_("kegiatan (proposal)"), max_length=255, editable=False)
    tahun_anggaran = models.PositiveSmallIntegerField(_("tahun anggaran"), editable=False)
    jumlah_diterima = RupiahField(
        _("jumlah dicairkan"), max_digits=16, decimal_places=2, editable=False, null=True, blank=True
    )
    tanggal_pencairan = models.DateField(_("tanggal pencairan"), null=True, blank=True, editable=False)
    tanggal_konfirmasi = models.DateField(_("tanggal konfirmasi penerimaan"), null=True, blank=True)
    tanggal_lpj = models.DateField(_("tanggal laporan penggunaan hibah diterima"), null=True, blank=True)
    jumlah_digunakan = RupiahField(
        _("jumlah digunakan menurut laporan"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hasil_verifikasi = models.TextField(_("hasil verifikasi laporan penggunaan"), blank=True)
    hasil_monitoring = models.TextField(_("hasil monitoring dan evaluasi"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi"), blank=True)

    class Meta:
        verbose_name = _("Monev Hibah")
        verbose_name_plural = _("Monev Hibah")
        ordering = ["-created_at"]
        indexes = document_indexes("monevh")
        constraints = [
            models.CheckConstraint(
                condition=(Q(hibah_ormas__isnull=False) & Q(hibah_kewaspadaan__isnull=True))
                | (Q(hibah_ormas__isnull=True) & Q(hibah_kewaspadaan__isnull=False)),
                name="monevh_satu_hibah",
            )
        ]

    def __str__(self):
        return f"{self.name} {self.penerima}"
