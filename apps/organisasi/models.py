"""Units, positions, staff (Pegawai), role profiles and delegation (Plt./Plh.)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Unit(models.Model):
    class Jenis(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        BIDANG = "bidang", _("Bidang")
        SUBBAGIAN = "subbagian", _("Sub Bagian / Subkoordinator")
        KJF = "kelompok jabatan fungsional", _("Kelompok Jabatan Fungsional")

    kode = models.CharField(_("kode"), max_length=40, unique=True)
    nama = models.CharField(_("nama unit"), max_length=255)
    singkatan = models.CharField(_("singkatan"), max_length=60, blank=True)
    jenis = models.CharField(_("jenis"), max_length=40, choices=Jenis.choices)
    induk = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="sub_unit", verbose_name=_("unit induk")
    )
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama

    def subtree_ids(self) -> set[int]:
        return unit_subtree_ids(self.pk)


UNIT_TREE_KEY = "organisasi:unit-tree"
UNIT_TREE_TIMEOUT = 300  # seconds; a change clears it at once (signals), this bounds a per-process cache


def unit_tree() -> dict:
    """``{unit id: parent id}`` of the whole organisation: one query, kept in
    Django's cache under a version key and remembered for the request. Saving
    or deleting a unit bumps the version (see ``apps.organisasi.signals``)."""
    from apps.docflow.scope import remember

    def load():
        version = cache.get_or_set(f"{UNIT_TREE_KEY}:version", 1, None)
        key = f"{UNIT_TREE_KEY}:{version}"
        tree = cache.get(key)
        if tree is None:
            tree = dict(Unit.objects.values_list("pk", "induk_id"))
            cache.set(key, tree, UNIT_TREE_TIMEOUT)
        return tree

    return remember(("unit_tree",), load)


def unit_tree_changed():
    try:
        cache.incr(f"{UNIT_TREE_KEY}:version")
    except ValueError:
        cache.set(f"{UNIT_TREE_KEY}:version", 1, None)
        cache.delete(f"{UNIT_TREE_KEY}:1")


def unit_subtree_ids(unit_id) -> set[int]:
    """The unit and every unit below it."""
    children: dict = {}
    for pk, parent in unit_tree().items():
        children.setdefault(parent, []).append(pk)
    ids = {unit_id}
    frontier = [unit_id]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, ()) if c not in ids]
        ids.update(frontier)
    return ids


def unit_ancestor_ids(unit_id) -> set[int]:
    """The unit and every unit above it."""
    tree = unit_tree()
    ids = set()
    current = unit_id
    while current is not None and current not in ids:
        ids.add(current)
        current = tree.get(current)
    return ids


class Jabatan(models.Model):
    kode = models.CharField(_("kode"), max_length=40, unique=True)
    nama = models.CharField(_("nama jabatan"), max_length=255)
    kode_jabatan = models.CharField(_("kode pada bagan"), max_length=20, blank=True)
    jabatan_fungsional = models.CharField(_("jabatan fungsional"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="jabatan", verbose_name=_("unit"))
    atasan = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="bawahan", verbose_name=_("atasan")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__urutan", "kode"]

    def __str__(self):
        if not self.nama.isupper():
            return self.nama
        return " ".join(w.lower() if w in ("DAN", "DI") else w.capitalize() for w in self.nama.split())


class Peran(models.Model):
    """What a role (a Django group) means in the agency: how far it reaches."""

    class Lingkup(models.TextChoices):
        UNIT = "unit", _("Unit sendiri dan unit di bawahnya")
        SEMUA = "semua", _("Seluruh badan")
        KOMITE = "komite", _("Tim/komite: dokumen yang menunggu perannya")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="peran", verbose_name=_("peran"))
    lingkup = models.CharField(_("lingkup"), max_length=10, choices=Lingkup.choices, default=Lingkup.UNIT)
    keterangan = models.TextField(_("keterangan"), blank=True)
    eksternal = models.BooleanField(_("pihak luar"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        ordering = ["group__name"]

    def __str__(self):
        return self.group.name


nip_validator = RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka tanpa spasi."))


class Pegawai(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pegawai", verbose_name=_("akun")
    )
    nama = models.CharField(_("nama lengkap (dengan gelar)"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    pangkat_golongan = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    jabatan = models.ForeignKey(
        Jabatan, on_delete=models.PROTECT, null=True, blank=True, related_name="pegawai", verbose_name=_("jabatan")
    )
    nama_jabatan = models.CharField(
        _("sebutan jabatan"), max_length=255, blank=True, help_text=_("Untuk staf tanpa jabatan struktural.")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pegawai", verbose_name=_("unit kerja"))
    aktif = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["unit__urutan", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="organisasi_nip_unique"),
        ]

    def __str__(self):
        return self.nama

    @property
    def sebutan_jabatan(self) -> str:
        if self.jabatan:
            return str(self.jabatan)
        return self.nama_jabatan


class Delegasi(models.Model):
    """Plt./Plh.: for a period a delegate acts with some of an official's roles."""

    class Jenis(models.TextChoices):
        PLH = "Plh.", _("Pelaksana Harian (Plh.)")
        PLT = "Plt.", _("Pelaksana Tugas (Plt.)")

    jenis = models.CharField(_("jenis"), max_length=5, choices=Jenis.choices, default=Jenis.PLH)
    pejabat = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegasi_diberikan",
        verbose_name=_("pejabat definitif"),
    )
    pelaksana = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegasi_diterima",
        verbose_name=_("pelaksana"),
    )
    peran = models.ManyToManyField(Group, related_name="+", verbose_name=_("peran yang dilimpahkan"))
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    dasar = models.CharField(_("dasar (nomor surat perintah)"), max_length=255, blank=True)
    dibatalkan = models.BooleanField(_("dibatalkan"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegasi Plt./Plh.")
        verbose_name_plural = _("delegasi Plt./Plh.")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=F("mulai")), name="organisasi_delegasi_periode"),
            models.CheckConstraint(condition=~Q(pejabat=F("pelaksana")), name="organisasi_delegasi_beda_orang"),
        ]

    def __str__(self):
        return f"{self.jenis} {self.pejabat} oleh {self.pelaksana} ({self.mulai:%d-%m-%Y} s.d. {self.selesai:%d-%m-%Y})"

    def clean(self):
        if self.mulai and self.selesai and self.selesai < self.mulai:
            raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
        if self.pejabat_id and self.pejabat_id == self.pelaksana_id:
            raise ValidationError({"pelaksana": _("Pelaksana harus orang lain dari pejabat definitif.")})

    def aktif_pada(self, day=None) -> bool:
        day = day or timezone.localdate()
        return not self.dibatalkan and self.mulai <= day <= self.selesai


class KeanggotaanTim(models.Model):
    """Membership of a team (a role such as Tim Verifikasi) for a period, as
    an SK established it; members act in the team's committee steps."""

    class JabatanTim(models.TextChoices):
        PENGARAH = "Pengarah", _("Pengarah")
        PENANGGUNG_JAWAB = "Penanggung Jawab", _("Penanggung Jawab")
        KETUA = "Ketua", _("Ketua")
        WAKIL_KETUA = "Wakil Ketua", _("Wakil Ketua")
        SEKRETARIS = "Sekretaris", _("Sekretaris")
        ANGGOTA = "Anggota", _("Anggota")

    tim = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="keanggotaan", verbose_name=_("tim"))
    anggota = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="keanggotaan_tim", verbose_name=_("anggota")
    )
    jabatan_tim = models.CharField(_("kedudukan dalam tim"), max_length=30, choices=JabatanTim.choices)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    dasar = models.CharField(_("dasar (nomor SK)"), max_length=255, blank=True)
    sumber_doctype = models.CharField(max_length=140, blank=True)
    sumber_id = models.PositiveBigIntegerField(null=True, blank=True)
    dicabut = models.BooleanField(_("dicabut"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan tim")
        verbose_name_plural = _("keanggotaan tim")
        ordering = ["tim__name", "mulai"]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=F("mulai")), name="organisasi_tim_periode"),
        ]
        indexes = [models.Index(fields=["anggota", "mulai", "selesai"], name="organisasi_tim_aktif")]

    def __str__(self):
        return f"{self.anggota} — {self.jabatan_tim} {self.tim.name}"
