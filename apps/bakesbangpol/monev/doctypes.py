from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.docflow import registry
from apps.docflow.exceptions import DocflowError
from apps.docflow.models import WorkflowLog

from .models import MonevBanpol, MonevHibah


def monev_on_enter(doc, state, log):
    """An accepted LPJ releases the party for its next disbursement."""
    from apps.bakesbangpol.pembinaan.models import PencairanBanpol

    if state.state in ("Monitoring", "Pengesahan Hasil Monev", "Selesai") and log is not None:
        PencairanBanpol.objects.filter(pk=doc.pencairan_id).update(lpj_diterima=True)


def start_monev_after_transfer(doc, log):
    """Listener: a transferred disbursement opens its monitoring (P7.3)."""
    if log.doctype != "Pencairan Banpol" or log.to_state != "Ditransfer" or log.kind != WorkflowLog.Kind.TRANSITION:
        return
    from apps.docflow.services.workflow import document_create

    with transaction.atomic():
        if not MonevBanpol.objects.filter(pencairan_id=doc.pk).exists():
            document_create(model=MonevBanpol, user=log.user, data={"pencairan_id": doc.pk}, unit=doc.unit_id)


# the grants P7.3 monitors: doctype -> (link field on Monev Hibah, kind, recipient field)
HIBAH = {
    "Hibah Ormas": ("hibah_ormas", MonevHibah.Jenis.ORMAS, "nama_ormas"),
    "Hibah Kewaspadaan": ("hibah_kewaspadaan", MonevHibah.Jenis.KEWASPADAAN, "pemohon"),
}
HIBAH_DICAIRKAN = "Dicairkan"


class HibahBelumDicairkan(DocflowError):
    default_message = _("Hibah %(name)s belum dicairkan (status: %(state)s); monev dimulai setelah pencairan.")


class SatuHibah(DocflowError):
    default_message = _("Pilih tepat satu hibah yang dimonitor: hibah Ormas/LSM atau hibah kewaspadaan.")


def monev_hibah_validate(doc: MonevHibah, user, old) -> None:
    """Exactly one disbursed grant; recipient, activity, year, amount and date
    are copied from it (never typed); the monitoring belongs to the grant's unit."""
    linked = [(f, getattr(doc, f)) for f, _k, _r in HIBAH.values() if getattr(doc, f + "_id") is not None]
    if len(linked) != 1:
        raise SatuHibah()
    field, hibah = linked[0]
    if old is None or getattr(old, field + "_id") != hibah.pk:
        if hibah.workflow_state != HIBAH_DICAIRKAN:
            raise HibahBelumDicairkan(name=hibah.name, state=hibah.workflow_state)
        if old is None:
            doc.unit_id = hibah.unit_id
    _field, jenis, penerima = next(v for v in HIBAH.values() if v[0] == field)
    doc.jenis_hibah = jenis
    doc.penerima = getattr(hibah, penerima)
    doc.kegiatan = hibah.judul_proposal
    doc.tahun_anggaran = hibah.tahun_anggaran
    doc.jumlah_diterima = hibah.jumlah_transfer
    doc.tanggal_pencairan = hibah.tanggal_transfer


def start_monev_hibah_after_disbursement(doc, log):
    """Listener: a disbursed grant opens its monitoring (P7.3), as Banpol does."""
    if log.doctype not in HIBAH or log.to_state != HIBAH_DICAIRKAN or log.kind != WorkflowLog.Kind.TRANSITION:
        return
    from apps.docflow.services.workflow import document_create

    field = HIBAH[log.doctype][0]
    with transaction.atomic():
        if not MonevHibah.objects.filter(**{field + "_id": doc.pk}).exists():
            document_create(model=MonevHibah, user=log.user, data={field + "_id": doc.pk}, unit=doc.unit_id)


def register():
    registry.register(
        registry.DocType(
            doctype="Monev Banpol",
            model=MonevBanpol,
            process_code="P7.3",
            group="Monitoring dan Evaluasi (P7)",
            autoname="MONEV-{YYYY}-{seq:04}",
            title_field="pencairan",
            owner_unit="BID_POLDAGRI",
            on_enter_state=monev_on_enter,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Monev Hibah",
            model=MonevHibah,
            process_code="P7.3",
            group="Monitoring dan Evaluasi (P7)",
            autoname="MONEVH-{YYYY}-{seq:04}",
            title_field="penerima",
            holder_field="penerima",
            owner_unit="BID_KBK",
            validate=monev_hibah_validate,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )
    registry.on_transition(start_monev_after_transfer)
    registry.on_transition(start_monev_hibah_after_disbursement)
