"""An application made on the public portal: the unguessable tracking code
that the applicant holds, and where to write to them."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))  # 60 bits
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Pengajuan(models.Model):
    kode = models.CharField(_("kode pelacakan"), max_length=20, unique=True, default=new_tracking_code)
    layanan = models.CharField(_("layanan"), max_length=40)
    doctype = models.CharField(max_length=140)
    document_id = models.PositiveBigIntegerField()
    document_name = models.CharField(max_length=140)
    email = models.EmailField(_("surel pemohon"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengajuan portal")
        verbose_name_plural = _("pengajuan portal")
        indexes = [models.Index(fields=["doctype", "document_id"], name="portal_pengajuan_doc")]

    def __str__(self):
        return f"{self.kode} ({self.document_name})"
