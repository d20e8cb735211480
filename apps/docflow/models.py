"""The engine's data: the document base, workflows, their log, numbering,
print formats, issued documents, the working calendar, files, notifications
and API keys. Nothing here knows about Bakesbangpol."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DocStatus(models.IntegerChoices):
    DRAFT = 0, _("Draf")
    SUBMITTED = 1, _("Diajukan")
    CANCELLED = 2, _("Dibatalkan")


class Document(models.Model):
    """Base of every process document (Frappe's DocType instance).

    The engine owns the fields below; the process model adds its own. Models
    declare ``indexes = document_indexes("xx")`` in their Meta.
    """

    name = models.CharField(_("nomor registrasi"), max_length=140, unique=True, editable=False)
    workflow_state = models.CharField(_("status"), max_length=140, editable=False)
    docstatus = models.PositiveSmallIntegerField(
        _("docstatus"), choices=DocStatus.choices, default=DocStatus.DRAFT, editable=False
    )
    unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit pemilik"),
    )
    process_code = models.CharField(_("kode proses"), max_length=20, editable=False)
    number = models.CharField(_("nomor surat"), max_length=140, blank=True, editable=False)
    number_date = models.DateField(_("tanggal surat"), null=True, blank=True, editable=False)
    state_entered_at = models.DateTimeField(_("masuk status pada"), null=True, editable=False)
    due_at = models.DateTimeField(_("batas waktu status"), null=True, blank=True, editable=False)
    state_seq = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("dibuat oleh"),
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("diubah oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now, editable=False)
    modified_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    # values of the fields administrators add in Customize Form (CustomField), by fieldname
    custom = models.JSONField(_("field tambahan"), default=dict, blank=True, editable=False)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name or "-"

    @property
    def doctype(self) -> str:
        from . import registry

        return registry.for_model(type(self)).doctype

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.due_at < timezone.now())


class RupiahField(models.DecimalField):
    """An amount in rupiah (Frappe's Currency). Stored as a DecimalField (its
    migrations say so); the desk shows it read-only as Rp151.875.000."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def document_indexes(prefix: str) -> list[models.Index]:
    """The indexes lists, inboxes and the pending report filter on."""
    return [
        # covers the pending report (GROUP BY state, unit; MIN entered; COUNT late)
        models.Index(
            fields=["workflow_state", "unit", "state_entered_at", "due_at", "created_by"], name=f"{prefix}_state_unit"
        ),
        models.Index(fields=["unit", "workflow_state"], name=f"{prefix}_unit_state"),
        models.Index(fields=["due_at"], name=f"{prefix}_due"),
        models.Index(fields=["-modified_at"], name=f"{prefix}_modified"),
        models.Index(fields=["number"], name=f"{prefix}_number"),
    ]


# --- Workflow definition (Frappe's Workflow, Workflow Document State, Workflow Transition)


class Workflow(models.Model):
    workflow_name = models.CharField(_("nama alur kerja"), max_length=140, unique=True)
    document_type = models.CharField(_("jenis dokumen"), max_length=140)
    is_active = models.BooleanField(_("aktif"), default=True)
    workflow_state_field = models.CharField(max_length=140, default="workflow_state", editable=False)
    description = models.TextField(_("keterangan"), blank=True)
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)
    modified_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alur kerja")
        verbose_name_plural = _("alur kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type"], condition=Q(is_active=True), name="docflow_one_active_workflow"
            )
        ]

    def __str__(self):
        return self.workflow_name

    @property
    def initial_state(self):
        return self.states.order_by("idx", "pk").first()


class WorkflowState(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="states")
    idx = models.PositiveIntegerField(_("urutan"), default=0)
    state = models.CharField(_("status"), max_length=140)
    doc_status = models.PositiveSmallIntegerField(_("docstatus"), choices=DocStatus.choices, default=0)
    allow_edit = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boleh diubah oleh"),
    )
    update_field = models.CharField(_("ubah field"), max_length=140, blank=True)
    update_value = models.CharField(_("menjadi nilai"), max_length=255, blank=True)
    is_final = models.BooleanField(_("status akhir"), default=False)
    sla_days = models.PositiveSmallIntegerField(
        _("SLA (hari kerja)"), null=True, blank=True, help_text=_("Batas waktu di status ini, dalam hari kerja.")
    )
    numbering_series = models.ForeignKey(
        "NamingSeries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beri nomor dari seri"),
    )
    print_format = models.ForeignKey(
        "PrintFormat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terbitkan PDF dengan format"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status alur kerja")
        verbose_name_plural = _("status alur kerja")
        ordering = ["idx", "pk"]
        constraints = [models.UniqueConstraint(fields=["workflow", "state"], name="docflow_state_unique")]

    def __str__(self):
        return self.state


class WorkflowTransition(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="transitions")
    idx = models.PositiveIntegerField(_("urutan"), default=0)
    state = models.CharField(_("dari status"), max_length=140)
    action = models.CharField(_("tindakan"), max_length=140)
    next_state = models.CharField(_("ke status"), max_length=140)
    allowed = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("peran"))
    condition = models.TextField(_("syarat"), blank=True, help_text=_("Contoh: doc.hasil_survei and doc.survei_layak"))
    allow_self_approval = models.BooleanField(_("pembuat boleh menyetujui"), default=True)
    require_comment = models.BooleanField(_("wajib alasan"), default=False)
    require_attachment = models.BooleanField(_("wajib lampiran"), default=False)
    on_behalf_of = models.CharField(
        _("dicatat atas nama"),
        max_length=140,
        blank=True,
        help_text=_("Keputusan pihak luar yang dicatat petugas, mis. Wali Kota."),
    )
    quorum = models.PositiveSmallIntegerField(
        _("kuorum"), default=1, help_text=_("Jumlah anggota berbeda dari peran ini yang harus menyetujui.")
    )
    condition_description = models.CharField(
        _("penjelasan syarat"),
        max_length=255,
        blank=True,
        help_text=_(
            "Yang ditampilkan saat syarat belum terpenuhi, mis. 'Buat disposisi terlebih dahulu'. "
            "Kosong: dijelaskan dari syaratnya."
        ),
    )
    duty_when_blocked = models.BooleanField(
        _("tetap tugas saat syarat belum terpenuhi"),
        default=False,
        help_text=_(
            "Dokumen tetap di kotak masuk pemegang peran ini walau syaratnya belum terpenuhi, "
            "mis. Kepala Badan yang harus membuat disposisi dulu."
        ),
    )
    require_subtasks_done = models.BooleanField(
        _("tunggu permintaan data/tugas selesai"),
        default=False,
        help_text=_("Tindakan ini baru dapat dilakukan bila semua permintaan data/tugas pada status ini selesai."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transisi alur kerja")
        verbose_name_plural = _("transisi alur kerja")
        ordering = ["idx", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quorum__gte=1), name="docflow_quorum_positive")]

    def __str__(self):
        return f"{self.state} → {self.action} → {self.next_state}"


# --- Runtime history (append-only)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("Catatan ini tidak dapat diubah."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Catatan ini tidak dapat dihapus."))


class WorkflowLog(AppendOnlyModel):
    class Kind(models.TextChoices):
        CREATE = "create", _("Dibuat")
        TRANSITION = "transition", _("Transisi")
        VOTE = "vote", _("Persetujuan anggota")
        SUBTASK = "subtask", _("Permintaan data/tugas")
        UNITS = "units", _("Unit pemilik tambahan")

    # entries that do not move the document (cycle times and the public track skip them)
    NOTE_KINDS = ("vote", "subtask", "units")

    doctype = models.CharField(_("jenis dokumen"), max_length=140)
    document_id = models.PositiveBigIntegerField()
    document_name = models.CharField(_("dokumen"), max_length=140)
    kind = models.CharField(_("jenis catatan"), max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    action = models.CharField(_("tindakan"), max_length=140)
    from_state = models.CharField(_("dari"), max_length=140, blank=True)
    to_state = models.CharField(_("ke"), max_length=140, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengguna")
    )
    role = models.CharField(_("sebagai peran"), max_length=140, blank=True)
    on_behalf_of_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delegation_label = models.CharField(_("kedudukan"), max_length=255, blank=True)
    on_behalf_of = models.CharField(_("atas nama pihak luar"), max_length=140, blank=True)
    comment = models.TextField(_("catatan"), blank=True)
    attachments = models.ManyToManyField("File", blank=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("log alur kerja")
        verbose_name_plural = _("log alur kerja")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["doctype", "document_id", "created_at"], name="docflow_log_doc"),
            models.Index(fields=["doctype", "created_at"], name="docflow_log_type_time"),
        ]

    def __str__(self):
        return f"{self.document_name}: {self.action}"


class WorkflowVote(AppendOnlyModel):
    """One committee member's approval towards a transition with a quorum."""

    doctype = models.CharField(max_length=140)
    document_id = models.PositiveBigIntegerField()
    state_seq = models.PositiveIntegerField()
    action = models.CharField(max_length=140)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("suara persetujuan")
        verbose_name_plural = _("suara persetujuan")
        constraints = [
            models.UniqueConstraint(
                fields=["doctype", "document_id", "state_seq", "action", "user"], name="docflow_one_vote"
            )
        ]


# --- Sub-tasks (Permintaan Data / Tugas) and joint ownership


class SubTask(models.Model):
    """A request for data or a task, attached to any registered document in
    one visit of its state (``state_seq``): to a unit, optionally to one
    person of it, with an instruction and a due date in working days. The
    assignee answers (text and files); the requester may return the answer
    for revision while the document is still in that visit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    OPEN_STATUSES = (Status.OPEN, Status.RETURNED)

    doctype = models.CharField(_("jenis dokumen"), max_length=140)
    document_id = models.PositiveBigIntegerField()
    document_name = models.CharField(_("dokumen"), max_length=140)
    state = models.CharField(_("pada status"), max_length=140)
    state_seq = models.PositiveIntegerField()
    unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit tujuan")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orang tujuan"),
    )
    instruction = models.TextField(_("instruksi"))
    due_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"), null=True, blank=True)
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("jawaban"), blank=True)
    answer_files = models.ManyToManyField("File", blank=True, related_name="+", verbose_name=_("lampiran jawaban"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    return_note = models.TextField(_("catatan perbaikan"), blank=True)
    revision = models.PositiveSmallIntegerField(_("perbaikan ke"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh")
    )
    created_at = models.DateTimeField(_("diminta pada"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan data/tugas")
        verbose_name_plural = _("permintaan data/tugas")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["doctype", "document_id", "state_seq"], name="docflow_subtask_doc"),
            models.Index(fields=["status", "unit"], name="docflow_subtask_unit"),
            models.Index(fields=["status", "assignee"], name="docflow_subtask_person"),
        ]

    def __str__(self):
        return f"{self.document_name}: {self.instruction[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


class DocumentUnit(models.Model):
    """An additional owning unit of a document (joint ownership): its staff
    and heads see and act on the document with their own reach, and the
    pending reports count the document for it too."""

    doctype = models.CharField(max_length=140)
    document_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("unit pemilik tambahan")
        verbose_name_plural = _("unit pemilik tambahan")
        constraints = [
            models.UniqueConstraint(fields=["doctype", "document_id", "unit"], name="docflow_document_unit_once")
        ]
        indexes = [models.Index(fields=["unit", "doctype", "document_id"], name="docflow_docunit_unit")]

    def __str__(self):
        return f"{self.doctype} {self.document_id}: {self.unit_id}"


# --- Numbering


class NamingSeries(models.Model):
    class Reset(models.TextChoices):
        YEARLY = "yearly", _("Setiap tahun")
        MONTHLY = "monthly", _("Setiap bulan")
        NEVER = "never", _("Tidak pernah")

    key = models.CharField(_("kode seri"), max_length=100, unique=True)
    pattern = models.CharField(
        _("pola"),
        max_length=200,
        help_text=_(
            "Contoh: {kode_klasifikasi}/{seq:03}/423.108/{YYYY}. Token: {seq:0N}, {YYYY}, {YY}, {MM}, {MM_ROMAWI}, {DD}, field dokumen."
        ),
    )
    reset = models.CharField(_("atur ulang"), max_length=10, choices=Reset.choices, default=Reset.YEARLY)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seri penomoran")
        verbose_name_plural = _("seri penomoran")

    def __str__(self):
        return f"{self.key} ({self.pattern})"


class NamingCounter(models.Model):
    series = models.ForeignKey(NamingSeries, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(_("periode"), max_length=10)
    current = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penghitung nomor")
        verbose_name_plural = _("penghitung nomor")
        constraints = [models.UniqueConstraint(fields=["series", "period"], name="docflow_counter_unique")]

    def __str__(self):
        return f"{self.series.key} {self.period}: {self.current}"


# --- Print formats and issued documents


class PaperSize(models.TextChoices):
    A4 = "A4", "A4 (210 × 297 mm)"
    F4 = "F4", "F4 / Folio (215 × 330 mm)"
    LETTER = "Letter", "Letter"


def _emblem_path(instance, filename):
    return f"kop/{secrets.token_hex(8)}-{filename[-80:]}"


class LetterHead(models.Model):
    """The letterhead (kop surat, Tata Naskah Dinas): the regional emblem,
    the agency's full address and contacts, shown to templates as ``kop``."""

    name = models.CharField(_("nama"), max_length=140, unique=True)
    content = models.TextField(
        _("isi kop (HTML/Jinja)"),
        help_text=_("Tersedia: kop.lambang (gambar lambang daerah), kop.alamat, kop.telepon, kop.email, kop.website."),
    )
    lambang = models.FileField(_("lambang daerah (PNG atau JPEG)"), upload_to=_emblem_path, max_length=255, blank=True)
    alamat = models.CharField(_("alamat lengkap"), max_length=255, blank=True)
    telepon = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("laman (website)"), max_length=120, blank=True)
    is_default = models.BooleanField(_("bawaan"), default=False)
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")

    def __str__(self):
        return self.name


class PrintFormat(models.Model):
    name = models.CharField(_("nama"), max_length=140, unique=True)
    doc_type = models.CharField(_("jenis dokumen"), max_length=140)
    html = models.TextField(_("templat (HTML/Jinja)"))
    css = models.TextField(_("CSS"), blank=True)
    page_size = models.CharField(_("ukuran kertas"), max_length=10, choices=PaperSize.choices, default=PaperSize.A4)
    margin = models.CharField(_("margin"), max_length=60, default="2cm 2cm 2cm 2.5cm")
    letter_head = models.ForeignKey(
        LetterHead, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kop surat")
    )
    is_default = models.BooleanField(_("bawaan untuk jenis dokumen"), default=False)
    disabled = models.BooleanField(_("nonaktif"), default=False)
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("format cetak")
        verbose_name_plural = _("format cetak")

    def __str__(self):
        return self.name


def _issued_path(instance, filename):
    return f"issued/{instance.issued_at:%Y/%m}/{instance.token}.pdf"


class IssuedFieldFile(models.fields.files.FieldFile):
    """The PDF of an issued document. Reading the PDF of a letter still being
    rendered (status pending) renders it first (``issuing.render_issued``)."""

    def _require_file(self):
        if not self and getattr(self.instance, "status", None) == IssuedDocument.Status.PENDING:
            from .issuing import render_issued

            if render_issued(self.instance):
                self.name = self.instance.file.name
        super()._require_file()


class IssuedFileField(models.FileField):
    attr_class = IssuedFieldFile

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class IssuedDocument(models.Model):
    """A PDF as it was issued: kept unchanged, verifiable by its token and hash.

    Issuing commits the record as *pending* with the step; the PDF is rendered
    and stored right after commit (``docflow.issuing``), and ``file``/``sha256``
    are set once, together with the status."""

    class Status(models.TextChoices):
        PENDING = "pending", _("sedang dibuat")
        ISSUED = "issued", _("terbit")

    doctype = models.CharField(_("jenis dokumen"), max_length=140)
    document_id = models.PositiveBigIntegerField()
    document_name = models.CharField(_("dokumen"), max_length=140)
    number = models.CharField(_("nomor"), max_length=140, blank=True)
    title = models.CharField(_("judul"), max_length=255)
    holder = models.CharField(_("pemegang"), max_length=255, blank=True)
    print_format = models.ForeignKey(PrintFormat, on_delete=models.PROTECT, related_name="+")
    file = IssuedFileField(_("berkas PDF"), upload_to=_issued_path, max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    status = models.CharField(_("status PDF"), max_length=10, choices=Status.choices, default=Status.PENDING)
    signer = models.JSONField(_("blok tanda tangan"), default=dict, blank=True, editable=False)
    render_error = models.TextField(_("galat pembuatan PDF"), blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    token = models.CharField(_("kode verifikasi"), max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("penandatangan"), max_length=255, blank=True)
    signer_title = models.CharField(_("jabatan penandatangan"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan pada"), default=timezone.now)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # the site's address when issued (SITE_URL, else the request's host): the QR code of a retried render
    site_url = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["doctype", "document_id"], name="docflow_issued_doc"),
            models.Index(fields=["status"], name="docflow_issued_status"),
        ]

    def __str__(self):
        return f"{self.title} {self.number}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            original = type(self).objects.get(pk=self.pk)
            if original.status == self.Status.ISSUED and self.status == self.Status.PENDING and not self.file:
                # loaded before its PDF was stored: keep the stored PDF
                self.file, self.sha256, self.status = original.file.name, original.sha256, original.status
                self.render_error = original.render_error
            frozen = ["doctype", "document_id", "number", "token", "issued_at", "holder"]
            if original.status == self.Status.ISSUED:  # the PDF is set once, by issuing.render_issued
                frozen += ["file", "sha256", "status"]
            if any(getattr(original, f) != getattr(self, f) for f in frozen):
                raise ValidationError(_("Dokumen yang sudah terbit tidak dapat diubah."))
        super().save(*args, **kwargs)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def verification_url(self) -> str:
        from .siteurl import site_url

        return f"{self.site_url or site_url()}/verifikasi/{self.token}"


# --- Working calendar


class Holiday(models.Model):
    """A day of the working calendar: a national holiday (loaded from the
    ``holidays`` package for each year, see ``calendar.load_national_holidays``,
    and corrected here when the government's decree sets another date), a
    day the administrator adds (cuti bersama, local holiday) or, with
    ``is_working_day``, a day that is worked although it is a weekend or a
    holiday."""

    class Kind(models.TextChoices):
        NATIONAL = "nasional", _("libur nasional")
        ADDED = "tambahan", _("ditambahkan administrator")

    date = models.DateField(_("tanggal"), unique=True)
    description = models.CharField(_("keterangan"), max_length=255)
    is_working_day = models.BooleanField(_("hari kerja pengganti"), default=False)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.ADDED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("kalender kerja")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.description}"


# --- Files, notifications, API keys


def _file_path(instance, filename):
    return f"files/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class File(models.Model):
    """An uploaded file (Frappe's File). Always private: served only through
    a view that checks the document it is attached to."""

    file = models.FileField(upload_to=_file_path, max_length=255)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    file_size = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64)
    attached_to_doctype = models.CharField(max_length=140, blank=True)
    attached_to_name = models.CharField(max_length=140, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")
        indexes = [models.Index(fields=["attached_to_doctype", "attached_to_name"], name="docflow_file_doc")]

    def __str__(self):
        return self.file_name


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="docflow_notifications")
    subject = models.CharField(_("perihal"), max_length=255)
    message = models.TextField(_("pesan"), blank=True)
    doctype = models.CharField(_("jenis dokumen"), max_length=140, blank=True)
    document_name = models.CharField(_("dokumen"), max_length=140, blank=True)
    url = models.CharField(_("tautan"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="docflow_notif_inbox"),
            # a step finds the document's earlier notices (they no longer wait for anyone)
            models.Index(fields=["doctype", "document_name"], name="docflow_notif_doc"),
        ]

    def __str__(self):
        return self.subject


class ApiKey(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="docflow_api_key", verbose_name=_("pengguna")
    )
    api_key = models.CharField(_("kunci API"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self):
        return f"{self.user} ({self.api_key})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


# --- background jobs, webhooks, recurring documents (issue 12) -----------------------


class BackgroundJob(models.Model):
    """One background job (e-mail, webhook, PDF, escalation, recurring
    documents): written in the transaction that asks for it, handed to the
    queue (django-tasks) after commit, retried with backoff, kept with its
    error. ``docflow.jobs`` runs it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("antre")
        RUNNING = "running", _("berjalan")
        RETRY = "retry", _("menunggu diulang")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    task = models.CharField(_("pekerjaan"), max_length=200)
    label = models.CharField(_("keterangan"), max_length=255, blank=True)
    kwargs = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("percobaan maksimal"), default=5)
    run_after = models.DateTimeField(_("dijalankan setelah"), default=timezone.now)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    worker = models.CharField(_("pekerja"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "run_after"], name="docflow_job_due")]

    def __str__(self):
        return self.label or self.task


class Webhook(models.Model):
    """Frappe's Webhook, with Frappe's field names."""

    class DocEvent(models.TextChoices):
        AFTER_INSERT = "after_insert", _("Setelah dibuat (after_insert)")
        ON_UPDATE = "on_update", _("Setelah diubah (on_update)")
        ON_SUBMIT = "on_submit", _("Setelah diajukan/ditetapkan (on_submit)")
        ON_CANCEL = "on_cancel", _("Setelah dibatalkan (on_cancel)")
        ON_TRASH = "on_trash", _("Saat dihapus (on_trash)")
        WORKFLOW_TRANSITION = "workflow_transition", _("Setelah tindakan alur kerja (workflow_transition)")

    class Method(models.TextChoices):
        POST = "POST", "POST"
        PUT = "PUT", "PUT"
        DELETE = "DELETE", "DELETE"

    class Structure(models.TextChoices):
        FORM = "Form URL-Encoded", "Form URL-Encoded"
        JSON = "JSON", "JSON"

    name = models.CharField(_("nama"), max_length=140, unique=True)
    webhook_doctype = models.CharField(_("jenis dokumen"), max_length=140)
    webhook_docevent = models.CharField(_("peristiwa"), max_length=30, choices=DocEvent.choices)
    enabled = models.BooleanField(_("aktif"), default=True)
    condition = models.TextField(
        _("syarat"), blank=True, help_text=_('Ungkapan atas doc, mis. doc.workflow_state == "SKT Terbit"')
    )
    request_url = models.URLField(_("URL tujuan"), max_length=2000)
    request_method = models.CharField(_("metode"), max_length=6, choices=Method.choices, default=Method.POST)
    request_structure = models.CharField(
        _("bentuk isi"), max_length=20, choices=Structure.choices, default=Structure.JSON
    )
    timeout = models.PositiveSmallIntegerField(_("batas waktu (detik)"), default=5)
    enable_security = models.BooleanField(_("tanda tangan HMAC"), default=False)
    webhook_secret = models.CharField(_("rahasia"), max_length=255, blank=True)
    webhook_json = models.TextField(
        _("isi JSON (templat Jinja)"),
        blank=True,
        help_text=_('Templat Jinja yang menghasilkan JSON, mis. {"name": {{ doc.name | tojson }}}'),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    modified_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")
        ordering = ["name"]
        indexes = [models.Index(fields=["webhook_doctype", "webhook_docevent"], name="docflow_webhook_event")]

    def __str__(self):
        return self.name

    def clean(self):
        from . import registry, webhooks

        errors = {}
        try:
            info = registry.get(self.webhook_doctype)
        except Exception:  # noqa: BLE001 - UnknownDocType
            info = None
            errors["webhook_doctype"] = _("Jenis dokumen %(d)s tidak dikenal.") % {"d": self.webhook_doctype}
        if self.condition:
            from .conditions import check_condition

            problem = check_condition(self.condition, info.model if info else None)
            if problem:
                errors["condition"] = problem
        if self.enable_security and not self.webhook_secret:
            errors["webhook_secret"] = _("Isi rahasia bila tanda tangan HMAC diaktifkan.")
        if self.request_structure == self.Structure.JSON and self.webhook_json:
            problem = webhooks.check_template(self.webhook_json)
            if problem:
                errors["webhook_json"] = problem
        if errors:
            raise ValidationError(errors)


class WebhookHeader(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="webhook_headers")
    key = models.CharField(_("kunci"), max_length=255)
    value = models.CharField(_("nilai"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("header webhook")
        verbose_name_plural = _("header webhook")

    def __str__(self):
        return self.key


class WebhookData(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="webhook_data")
    fieldname = models.CharField(_("field"), max_length=140)
    key = models.CharField(_("kunci"), max_length=140)

    class Meta:
        verbose_name = _("data webhook")
        verbose_name_plural = _("data webhook")

    def __str__(self):
        return f"{self.fieldname} -> {self.key}"


class WebhookRequestLog(models.Model):
    """Frappe's Webhook Request Log: one row per attempt."""

    webhook = models.ForeignKey(Webhook, on_delete=models.SET_NULL, null=True, related_name="request_logs")
    job = models.ForeignKey(BackgroundJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reference_doctype = models.CharField(_("jenis dokumen"), max_length=140)
    reference_document = models.CharField(_("dokumen"), max_length=140)
    event = models.CharField(_("peristiwa"), max_length=30)
    attempt = models.PositiveSmallIntegerField(_("percobaan"), default=1)
    url = models.CharField(_("URL"), max_length=2000)
    headers = models.TextField(_("header"), blank=True)
    data = models.TextField(_("isi"), blank=True)
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    response = models.TextField(_("jawaban"), blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("log permintaan webhook")
        verbose_name_plural = _("log permintaan webhook")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.url} {self.status_code or self.error[:40]}"


class AutoRepeat(models.Model):
    """Frappe's Auto Repeat: a new document from a template document, once per period."""

    class Frequency(models.TextChoices):
        DAILY = "Daily", _("Harian")
        WEEKLY = "Weekly", _("Mingguan")
        MONTHLY = "Monthly", _("Bulanan")
        QUARTERLY = "Quarterly", _("Triwulanan")
        YEARLY = "Yearly", _("Tahunan")

    reference_doctype = models.CharField(_("jenis dokumen"), max_length=140)
    reference_document = models.CharField(_("dokumen templat"), max_length=140, help_text=_("Nomor registrasi"))
    frequency = models.CharField(_("frekuensi"), max_length=10, choices=Frequency.choices)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal akhir"), null=True, blank=True)
    unit = models.ForeignKey(
        settings.DOCFLOW_UNIT_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Kosong: unit dokumen templat"),
    )
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat atas nama"),
    )
    period_field = models.CharField(
        _("field periode (teks)"), max_length=140, blank=True, help_text=_('Mis. periode: diisi "Januari 2027"')
    )
    period_start_field = models.CharField(_("field awal periode (tanggal)"), max_length=140, blank=True)
    period_end_field = models.CharField(_("field akhir periode (tanggal)"), max_length=140, blank=True)
    disabled = models.BooleanField(_("nonaktif"), default=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("dokumen berulang")
        verbose_name_plural = _("dokumen berulang")
        ordering = ["reference_doctype", "pk"]

    def __str__(self):
        return f"{self.reference_doctype} {self.reference_document} ({self.get_frequency_display()})"

    def clean(self):
        from . import auto_repeat

        auto_repeat.validate_schedule(self)


class AutoRepeatRun(models.Model):
    """One period of a schedule: at most one, whoever runs it (unique)."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("terjadwal")
        MANUAL = "manual", _("manual")

    schedule = models.ForeignKey(AutoRepeat, on_delete=models.CASCADE, related_name="runs")
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    trigger = models.CharField(_("pemicu"), max_length=10, choices=Trigger.choices)
    document_id = models.BigIntegerField(null=True, blank=True)
    document_name = models.CharField(_("dokumen dibuat"), max_length=140, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("riwayat dokumen berulang")
        verbose_name_plural = _("riwayat dokumen berulang")
        ordering = ["-period_start"]
        constraints = [models.UniqueConstraint(fields=["schedule", "period_start"], name="docflow_autorepeat_once")]

    def __str__(self):
        return f"{self.schedule_id} {self.period_start}"


# --- DocTypes as data (Frappe's DocType, DocField, DocPerm)


class FieldType(models.TextChoices):
    DATA = "Data"
    SMALL_TEXT = "Small Text"
    TEXT = "Text"
    TEXT_EDITOR = "Text Editor"
    INT = "Int"
    FLOAT = "Float"
    CURRENCY = "Currency"
    PERCENT = "Percent"
    DATE = "Date"
    DATETIME = "Datetime"
    TIME = "Time"
    CHECK = "Check"
    SELECT = "Select"
    LINK = "Link"
    DYNAMIC_LINK = "Dynamic Link"
    ATTACH = "Attach"
    ATTACH_IMAGE = "Attach Image"
    TABLE = "Table"
    TABLE_MULTISELECT = "Table MultiSelect"
    READ_ONLY = "Read Only"
    HTML = "HTML"
    SECTION_BREAK = "Section Break"
    COLUMN_BREAK = "Column Break"
    TAB_BREAK = "Tab Break"


class DocTypeDef(models.Model):
    """A document type defined in the desk (Frappe's DocType record). Saving
    it builds a Django model with a real table, live in every worker."""

    name = models.CharField(_("nama jenis dokumen"), max_length=100, unique=True)
    module = models.CharField(_("kelompok di desk"), max_length=140, default="Proses Lain")
    process_code = models.CharField(_("kode proses"), max_length=20, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    autoname = models.CharField(
        _("pola nomor registrasi"),
        max_length=140,
        blank=True,
        help_text=_("Contoh: AUD-{YYYY}-{seq:05}. Kosong: dari nama jenis dokumen."),
    )
    title_field = models.CharField(_("field judul"), max_length=140, blank=True)
    search_fields = models.CharField(
        _("field pencarian"), max_length=255, blank=True, help_text=_("Pisahkan dengan koma.")
    )
    sort_field = models.CharField(_("urut menurut"), max_length=140, blank=True)
    sort_order = models.CharField(
        _("arah urutan"), max_length=4, choices=[("DESC", "DESC"), ("ASC", "ASC")], default="DESC"
    )
    is_submittable = models.BooleanField(_("dapat diajukan (submittable)"), default=True)
    istable = models.BooleanField(_("tabel anak"), default=False, help_text=_("Baris tabel di dalam dokumen lain."))
    track_changes = models.BooleanField(_("catat perubahan"), default=True)
    quick_entry = models.BooleanField(_("isian cepat"), default=False)
    owner_unit = models.CharField(
        _("unit pemilik"),
        max_length=40,
        blank=True,
        help_text=_("Kode unit pemilik dokumen baru; kosong: unit pembuat."),
    )
    holder_field = models.CharField(_("field pemegang dokumen"), max_length=140, blank=True)
    validate_hook = models.CharField(
        _("hook validasi"),
        max_length=140,
        blank=True,
        help_text=_("Nama hook Python terdaftar (jika aturan tidak dapat ditulis sebagai data)."),
    )
    table_name = models.CharField(max_length=64, unique=True, editable=False)
    class_name = models.CharField(max_length=100, unique=True, editable=False)
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jenis dokumen (DocType)")
        verbose_name_plural = _("jenis dokumen (DocType)")
        ordering = ["module", "name"]

    def __str__(self):
        return self.name


class FieldProps(models.Model):
    """Frappe's DocField properties."""

    idx = models.PositiveIntegerField(_("urutan"), default=0)
    fieldname = models.CharField(_("nama field"), max_length=64)
    label = models.CharField(_("label"), max_length=140, blank=True)
    fieldtype = models.CharField(_("jenis field"), max_length=30, choices=FieldType.choices, default=FieldType.DATA)
    options = models.TextField(
        _("opsi"), blank=True, help_text=_("Select: satu pilihan per baris. Link/Table: nama jenis dokumen tujuan.")
    )
    reqd = models.BooleanField(_("wajib"), default=False)
    default = models.CharField(_("nilai bawaan"), max_length=255, blank=True)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    depends_on = models.CharField(_("tampil jika"), max_length=255, blank=True)
    mandatory_depends_on = models.CharField(_("wajib jika"), max_length=255, blank=True)
    read_only_depends_on = models.CharField(_("hanya baca jika"), max_length=255, blank=True)
    read_only = models.BooleanField(_("hanya baca"), default=False)
    hidden = models.BooleanField(_("tersembunyi"), default=False)
    unique = models.BooleanField(_("unik"), default=False)
    in_list_view = models.BooleanField(_("kolom daftar"), default=False)
    in_standard_filter = models.BooleanField(_("saringan daftar"), default=False)
    in_global_search = models.BooleanField(_("pencarian global"), default=False)
    bold = models.BooleanField(_("tebal"), default=False)
    allow_on_submit = models.BooleanField(_("boleh diubah setelah diajukan"), default=False)
    fetch_from = models.CharField(_("ambil dari"), max_length=140, blank=True, help_text=_("Contoh: unit.nama"))
    precision = models.PositiveSmallIntegerField(_("presisi"), null=True, blank=True)
    length = models.PositiveIntegerField(_("panjang"), null=True, blank=True)
    permlevel = models.PositiveSmallIntegerField(_("tingkat izin"), default=0)
    # the physical column: kept when the field is renamed; a new one when the type changes
    column_name = models.CharField(max_length=64, blank=True, editable=False)
    column_type = models.CharField(max_length=30, blank=True, editable=False)
    # a removed field stays hidden with its values (Frappe keeps the column too)
    is_removed = models.BooleanField(_("dihapus (nilai disimpan)"), default=False)

    class Meta:
        abstract = True
        ordering = ["idx", "pk"]

    def __str__(self):
        return f"{self.label or self.fieldname} ({self.fieldtype})"


class DocFieldDef(FieldProps):
    doctype = models.ForeignKey(DocTypeDef, on_delete=models.CASCADE, related_name="fields")

    history = HistoricalRecords()

    class Meta(FieldProps.Meta):
        verbose_name = _("field")
        verbose_name_plural = _("field")
        constraints = [models.UniqueConstraint(fields=["doctype", "fieldname"], name="docflow_docfield_unique")]


class DocPermDef(models.Model):
    """Frappe's DocPerm: what a role may do with a doctype at a permission level."""

    doctype = models.ForeignKey(DocTypeDef, on_delete=models.CASCADE, related_name="permissions")
    role = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("peran"))
    permlevel = models.PositiveSmallIntegerField(_("tingkat izin"), default=0)
    read = models.BooleanField(_("baca"), default=True)
    write = models.BooleanField(_("ubah"), default=False)
    create = models.BooleanField(_("buat"), default=False)
    delete = models.BooleanField(_("hapus"), default=False)
    submit = models.BooleanField(_("ajukan"), default=False)
    cancel = models.BooleanField(_("batalkan"), default=False)
    print = models.BooleanField(_("cetak"), default=True)
    export = models.BooleanField(_("ekspor"), default=True)
    report = models.BooleanField(_("laporan"), default=True)
    if_owner = models.BooleanField(_("hanya milik sendiri"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("izin")
        verbose_name_plural = _("izin")
        constraints = [models.UniqueConstraint(fields=["doctype", "role", "permlevel"], name="docflow_docperm_unique")]

    def __str__(self):
        return f"{self.role} @ {self.permlevel}"


class CustomField(FieldProps):
    """A field an administrator adds to a code-defined doctype (Frappe's
    Custom Field, Customize Form); its value lives in the document's
    ``custom`` column, typed by the field on every read and write."""

    dt = models.CharField(_("jenis dokumen"), max_length=140)
    insert_after = models.CharField(_("sisipkan setelah"), max_length=64, blank=True)
    modified_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta(FieldProps.Meta):
        verbose_name = _("field tambahan")
        verbose_name_plural = _("field tambahan")
        constraints = [models.UniqueConstraint(fields=["dt", "fieldname"], name="docflow_customfield_unique")]


class PropertySetter(models.Model):
    """A changed property of a code-defined doctype's field (Frappe's
    Property Setter): label, order, mandatory, list and filter flags."""

    PROPERTIES = ("label", "idx", "reqd", "in_list_view", "in_standard_filter", "hidden", "description")

    doc_type = models.CharField(_("jenis dokumen"), max_length=140)
    field_name = models.CharField(_("field"), max_length=64)
    property = models.CharField(_("properti"), max_length=40, choices=[(p, p) for p in PROPERTIES])
    value = models.CharField(_("nilai"), max_length=255, blank=True)
    modified_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("properti field")
        verbose_name_plural = _("properti field")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "field_name", "property"], name="docflow_propsetter_unique")
        ]

    def __str__(self):
        return f"{self.doc_type}.{self.field_name}.{self.property}"


# --- Comments and assignments (Frappe's Comment and ToDo)


class Comment(models.Model):
    """A free comment on a document's timeline (Frappe's Comment, type Comment).
    ``@username`` in the text notifies that user when they can see the document."""

    reference_doctype = models.CharField(_("jenis dokumen"), max_length=140)
    document_id = models.PositiveBigIntegerField()
    reference_name = models.CharField(_("dokumen"), max_length=140)
    content = models.TextField(_("komentar"))
    comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["reference_doctype", "document_id", "created_at"], name="docflow_comment_doc")]

    def __str__(self):
        return f"{self.reference_name}: {self.content[:40]}"


class ToDo(models.Model):
    """An assignment of a document to a person with a due date (Frappe's ToDo)."""

    class Status(models.TextChoices):
        OPEN = "Open", _("Terbuka")
        CLOSED = "Closed", _("Selesai")
        CANCELLED = "Cancelled", _("Dibatalkan")

    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="docflow_todos",
        verbose_name=_("ditugaskan kepada"),
    )
    reference_type = models.CharField(_("jenis dokumen"), max_length=140)
    document_id = models.PositiveBigIntegerField()
    reference_name = models.CharField(_("dokumen"), max_length=140)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    date = models.DateField(_("batas waktu"), null=True, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ditugaskan oleh")
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["date", "created_at", "pk"]
        indexes = [
            models.Index(fields=["allocated_to", "status"], name="docflow_todo_user"),
            models.Index(fields=["reference_type", "document_id", "status"], name="docflow_todo_doc"),
        ]

    def __str__(self):
        return f"{self.reference_name} → {self.allocated_to}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.status == self.Status.OPEN and self.date and self.date < timezone.localdate())
