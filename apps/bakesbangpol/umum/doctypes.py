"""Registration of the P1.2 document types with the engine, and their hooks."""

from django.db.models import Q
from django.utils import timezone

from apps.docflow import registry
from apps.docflow.models import IssuedDocument, PrintFormat
from apps.docflow.scope import backend
from apps.organisasi.models import unit_subtree_ids

from . import services
from .models import Arsip, Disposisi, KlasifikasiArsip, Sifat, SuratKeluar, SuratKeputusan, SuratMasuk

HEAD_ROLES = {"Kepala Bidang", "Kepala Sub Bagian", "Sekretaris"}
ADDRESSEE_ROLE = "Kepala Badan"


def _head_units(user) -> set:
    roles = {g.role for g in backend().grants(user)}
    if not roles & HEAD_ROLES:
        return set()
    unit_id = backend().home_unit(user)  # the staff record is remembered per request
    return unit_subtree_ids(unit_id) if unit_id else set()


def _letters_in_chain(user):
    units = _head_units(user)
    return Disposisi.objects.filter(
        Q(dari=user) | Q(kepada=user) | Q(kepada__isnull=True, kepada_unit_id__in=units)
    ).values("surat_masuk_id")


def _sees_all_secrets(user) -> bool:
    return any(g.role == ADDRESSEE_ROLE for g in backend().grants(user))


def surat_masuk_extend(user) -> Q:
    """Those in a letter's disposition chain see it, whatever their unit."""
    return Q(pk__in=_letters_in_chain(user))


def surat_masuk_restrict(user) -> Q:
    """A secret letter is visible only to those in its chain."""
    if _sees_all_secrets(user):
        return Q()
    return ~Q(sifat=Sifat.RAHASIA) | Q(created_by=user) | Q(pk__in=_letters_in_chain(user))


def disposisi_restrict(user) -> Q:
    if _sees_all_secrets(user):
        return Q()
    return (
        ~Q(surat_masuk__sifat=Sifat.RAHASIA)
        | Q(surat_masuk__created_by=user)
        | Q(surat_masuk_id__in=_letters_in_chain(user))
    )


def surat_masuk_on_enter(doc, state, log):
    if state.state == "Diarsipkan" and log is not None:
        services.arsip_dari_surat(
            doc=doc,
            user=log.user,
            perihal=doc.perihal,
            pengirim_penerima=doc.pengirim,
            nomor_surat=doc.nomor_surat,
            tanggal_surat=doc.tanggal_surat,
            klasifikasi=doc.klasifikasi,
        )


def surat_keluar_on_enter(doc, state, log):
    if state.state == "Diarsipkan" and log is not None:
        services.arsip_dari_surat(
            doc=doc,
            user=log.user,
            perihal=doc.hal,
            pengirim_penerima="; ".join(doc.daftar_kepada),
            nomor_surat=doc.number,
            tanggal_surat=doc.number_date,
            klasifikasi=doc.klasifikasi,
        )


def surat_keluar_format(doc, default):
    """Each kind of naskah dinas has its own print format (by its name)."""
    return PrintFormat.objects.filter(name=doc.jenis, doc_type="Surat Keluar", disabled=False).first() or default


def sk_on_enter(doc, state, log):
    if state.state == "Ditetapkan" and log is not None:
        services.sk_keanggotaan(doc)
    elif state.state == "Dicabut":
        services.sk_keanggotaan(doc, dicabut=True)
        # the verification page then shows the decree as revoked
        IssuedDocument.objects.filter(doctype="Surat Keputusan", document_id=doc.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=log.comment if log else ""
        )


def sk_print_context(doc) -> dict:
    anggota = []
    for a in doc.anggota.select_related("pengguna"):
        person = backend().person(a.pengguna)
        anggota.append(
            {
                "nama": person.name,
                "nip": person.nip,
                "jabatan_dinas": a.jabatan_dinas or person.title,
                "jabatan_tim": a.jabatan_tim,
            }
        )
    return {"diktum": list(doc.diktum.all()), "anggota": anggota}


def surat_masuk_print_context(doc) -> dict:
    """The disposition chain for the Lembar Disposisi, in order."""
    rows = []
    for d in (
        doc.disposisi.select_related("dari", "kepada", "kepada_unit")
        .prefetch_related("instruksi")
        .order_by("tingkat", "created_at")
    ):
        kepada = str(d.kepada_unit)
        if d.kepada_id:
            kepada = f"{backend().person(d.kepada).name} ({d.kepada_unit})"
        rows.append(
            {
                "tingkat": d.tingkat,
                "dari": f"{backend().person(d.dari).name}" + (f", {d.dari_jabatan}" if d.dari_jabatan else ""),
                "kepada": kepada,
                "instruksi": [i.nama for i in d.instruksi.all()],
                "catatan": d.catatan,
                "batas_waktu": d.batas_waktu,
                "status": d.workflow_state,
                "catatan_selesai": d.catatan_selesai,
            }
        )
    return {"disposisi": rows}


def arsip_on_enter(doc, state, log):
    if log is None:  # creation: retention from the classification
        doc.hitung_retensi()


def register():
    registry.register_master(registry.MasterType("Klasifikasi Arsip", KlasifikasiArsip, name_field="kode"))
    group = "Umum dan Kepegawaian (P1)"
    staff = {
        "Petugas Persuratan": ["view", "add", "change"],
        "Kepala Sub Bagian": ["view"],
        "Kepala Badan": ["view"],
        "Sekretaris": ["view"],
    }
    registry.register(
        registry.DocType(
            doctype="Surat Masuk",
            model=SuratMasuk,
            process_code="P1.2.1.2",
            group=group,
            autoname="SM-{YYYY}-{seq:05}",
            title_field="perihal",
            owner_unit="SUBBAG_UMPEG",
            on_enter_state=surat_masuk_on_enter,
            print_context=surat_masuk_print_context,
            restrict_visibility=surat_masuk_restrict,
            extend_visibility=surat_masuk_extend,
            extra={"permissions": {**staff, "Kepala Bidang": ["view"], "Staf Bidang": ["view"]}},
        )
    )
    registry.register(
        registry.DocType(
            doctype="Disposisi",
            model=Disposisi,
            process_code="P1.2.1.2",
            group=group,
            autoname="DISP-{YYYY}-{seq:05}",
            title_field="catatan",
            assignee_field="kepada",
            on_enter_state=services.disposisi_on_enter,
            restrict_visibility=disposisi_restrict,
            extra={
                "permissions": {
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                    "Kepala Bidang": ["view"],
                    "Kepala Sub Bagian": ["view"],
                    "Staf Bidang": ["view"],
                    "Petugas Persuratan": ["view"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Surat Keluar",
            model=SuratKeluar,
            process_code="P1.2.1.1",
            group=group,
            autoname="SKEL-{YYYY}-{seq:05}",
            title_field="hal",
            holder_field="kepada",
            on_enter_state=surat_keluar_on_enter,
            print_format_for=surat_keluar_format,
            allow_on_submit=("penerima",),
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view", "add", "change"],
                    "Petugas Persuratan": ["view", "change"],
                    "Kepala Sub Bagian": ["view", "add", "change"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view", "add", "change"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Surat Keputusan",
            model=SuratKeputusan,
            process_code="P1.2.1.1",
            group=group,
            autoname="KEP-{YYYY}-{seq:05}",
            title_field="tentang",
            holder_field="tentang",
            on_enter_state=sk_on_enter,
            print_context=sk_print_context,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view", "add", "change"],
                    "Sekretaris": ["view", "add", "change"],
                    "Kepala Badan": ["view"],
                    "Petugas Persuratan": ["view"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Arsip",
            model=Arsip,
            process_code="P1.2.2",
            group=group,
            autoname="ARS-{YYYY}-{seq:06}",
            title_field="perihal",
            owner_unit="SUBBAG_UMPEG",
            on_enter_state=arsip_on_enter,
            extra={
                "permissions": {
                    "Petugas Persuratan": ["view", "change"],
                    "Kepala Sub Bagian": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )
