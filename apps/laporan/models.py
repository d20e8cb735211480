"""IKU (Indikator Kinerja Utama) with yearly targets and realised values,
and the record of escalations already sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Indikator(models.Model):
    urutan = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    nama = models.CharField(_("indikator"), max_length=255)
    satuan = models.CharField(_("satuan"), max_length=20)
    tujuan = models.TextField(_("tujuan"), blank=True)
    sasaran = models.TextField(_("sasaran"), blank=True)
    proses_terkait = models.CharField(_("proses terkait"), max_length=255, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator kinerja utama")
        verbose_name_plural = _("indikator kinerja utama (IKU)")
        ordering = ["urutan"]

    def __str__(self):
        return f"{self.urutan}. {self.nama}"


class TargetIKU(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    nilai = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    tertulis = models.CharField(_("target sebagaimana tertulis"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target IKU")
        verbose_name_plural = _("target IKU")
        ordering = ["indikator__urutan", "tahun"]
        constraints = [models.UniqueConstraint(fields=["indikator", "tahun"], name="laporan_target_unik")]

    def __str__(self):
        return f"{self.indikator.nama} {self.tahun}: {self.tertulis or self.nilai}"


class RealisasiIKU(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, related_name="realisasi")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    nilai = models.DecimalField(_("realisasi"), max_digits=12, decimal_places=2)
    bukti = models.ForeignKey(
        "docflow.File",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bukti dukung"),
    )
    keterangan = models.TextField(_("keterangan/sumber data"), blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("dicatat oleh")
    )
    dicatat_pada = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi IKU")
        verbose_name_plural = _("realisasi IKU")
        ordering = ["indikator__urutan", "tahun"]
        constraints = [models.UniqueConstraint(fields=["indikator", "tahun"], name="laporan_realisasi_unik")]

    def __str__(self):
        return f"{self.indikator.nama} {self.tahun}: {self.nilai}"


class Eskalasi(models.Model):
    """One escalation sent for one lateness (a document's visit of a state)."""

    class Tingkat(models.IntegerChoices):
        KEPALA_UNIT = 1, _("Kepala unit")
        SEKRETARIS = 2, _("Sekretaris")

    doctype = models.CharField(max_length=140)
    document_id = models.PositiveBigIntegerField()
    document_name = models.CharField(max_length=140)
    state = models.CharField(max_length=140)
    state_seq = models.PositiveIntegerField()
    tingkat = models.PositiveSmallIntegerField(choices=Tingkat.choices)
    penerima = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    dikirim_pada = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("eskalasi keterlambatan")
        verbose_name_plural = _("eskalasi keterlambatan")
        constraints = [
            models.UniqueConstraint(
                fields=["doctype", "document_id", "state_seq", "tingkat"], name="laporan_eskalasi_sekali"
            )
        ]
