from django.db import transaction

from apps.docflow import registry
from apps.docflow.models import WorkflowLog

from .models import MonevBanpol


def monev_on_enter(doc, state, log):
    """An accepted LPJ releases the party for its next disbursement."""
    from apps.bakesbangpol.pembinaan.models import PencairanBanpol

    if state.state in ("Monitoring", "Selesai") and log is not None:
        PencairanBanpol.objects.filter(pk=doc.pencairan_id).update(lpj_diterima=True)


def start_monev_after_transfer(doc, log):
    """Listener: a transferred disbursement opens its monitoring (P7.3)."""
    if log.doctype != "Pencairan Banpol" or log.to_state != "Ditransfer" or log.kind != WorkflowLog.Kind.TRANSITION:
        return
    from apps.docflow.services.workflow import document_create

    with transaction.atomic():
        if not MonevBanpol.objects.filter(pencairan_id=doc.pk).exists():
            document_create(model=MonevBanpol, user=log.user, data={"pencairan_id": doc.pk}, unit=doc.unit_id)


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
    registry.on_transition(start_monev_after_transfer)
