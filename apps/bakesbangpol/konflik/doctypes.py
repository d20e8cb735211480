from apps.docflow import registry
from apps.docflow.models import WorkflowVote
from apps.docflow.scope import backend

from .models import HibahKewaspadaan


def rekomendasi_context(doc) -> dict:
    """The members who recommended in the last round (after a return, votes restart)."""
    votes = WorkflowVote.objects.filter(doctype="Hibah Kewaspadaan", document_id=doc.pk, action="Rekomendasikan")
    last_round = votes.order_by("-state_seq").values_list("state_seq", flat=True).first()
    return {"tim": [backend().person(v.user) for v in votes.filter(state_seq=last_round).select_related("user")]}


def register():
    registry.register(
        registry.DocType(
            doctype="Hibah Kewaspadaan",
            model=HibahKewaspadaan,
            process_code="P6.3",
            group="Konflik dan Kewaspadaan (P6)",
            autoname="HKEW-{YYYY}-{seq:04}",
            title_field="pemohon",
            holder_field="pemohon",
            owner_unit="BID_IWK",
            print_context=rekomendasi_context,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                    "Tim Verifikasi Hibah": ["view"],
                    "Bendahara": ["view", "change"],
                    "TAPD": ["view"],
                }
            },
        )
    )
