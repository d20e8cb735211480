"""P7.3 Monev Hibah/Banpol: confirmation of receipt, the party's report on
the use of funds (LPJ), its verification, and the monitoring result."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
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
