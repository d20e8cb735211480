"""P3.1 master data: the DPA budget lines (Dokumen Pelaksanaan Anggaran) a
payment request draws on. No workflow: the Bendahara keeps them in the desk
or imports them from Excel."""

from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# a payment request in this state no longer uses its budget line
PERMOHONAN_BATAL = "Dibatalkan"


class AnggaranDPA(models.Model):
    """One budget line of the DPA: account code, description, year and ceiling (pagu)."""

    name = models.CharField(_("kode"), max_length=100, unique=True, editable=False)
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"))
    kode_rekening = models.CharField(_("kode rekening"), max_length=60)
    uraian = models.CharField(_("uraian"), max_length=255)
    sub_kegiatan = models.CharField(_("sub kegiatan"), max_length=255, blank=True)
    pagu = models.DecimalField(_("pagu"), max_digits=18, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Anggaran DPA")
        verbose_name_plural = _("Anggaran DPA")
        ordering = ["-tahun", "kode_rekening"]
        constraints = [models.UniqueConstraint(fields=["tahun", "kode_rekening"], name="keuangan_dpa_tahun_kode")]

    def __str__(self):
        return f"{self.kode_rekening} {self.uraian} ({self.tahun})"

    def save(self, *args, **kwargs):
        self.name = f"{self.tahun}/{self.kode_rekening}"
        super().save(*args, **kwargs)

    def terpakai(self, exclude_pk=None) -> Decimal:
        """The sum of the payment requests on this line that are not cancelled."""
        from apps.docflow import registry

        model = registry.get("Permohonan Pembayaran").model
        rows = model._default_manager.filter(anggaran_id=self.pk).exclude(workflow_state=PERMOHONAN_BATAL)
        if exclude_pk is not None:
            rows = rows.exclude(pk=exclude_pk)
        return rows.aggregate(total=Sum("jumlah"))["total"] or Decimal(0)

    @property
    def sisa(self) -> Decimal:
        return self.pagu - self.terpakai()
