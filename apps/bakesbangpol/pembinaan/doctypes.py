from apps.docflow import registry
from apps.docflow.models import WorkflowVote
from apps.docflow.scope import backend

from . import services
from .models import HibahOrmas, PencairanBanpol, PermohonanBanpol


def banpol_print_context(doc) -> dict:
    """Tim Verifikasi members and their votes for the Berita Acara Verifikasi."""
    votes = WorkflowVote.objects.filter(doctype="Permohonan Banpol", document_id=doc.pk, action="Setujui Verifikasi")
    last_visit = votes.order_by("-state_seq").values_list("state_seq", flat=True).first()
    voted = (
        {v.user_id: v for v in votes.filter(state_seq=last_visit).select_related("user")}
        if last_visit is not None
        else {}
    )
    members = {u.pk: u for u in backend().users_for_role("Tim Verifikasi", doc.unit_id)}
    for v in voted.values():
        members.setdefault(v.user_id, v.user)
    rows = []
    for uid, user in members.items():
        person = backend().person(user)
        vote = voted.get(uid)
        rows.append(
            {
                "nama": person.name,
                "nip": person.nip,
                "jabatan": person.title,
                "setuju": vote is not None,
                "waktu": vote.created_at if vote else None,
            }
        )
    rows.sort(key=lambda r: (not r["setuju"], r["nama"]))
    return {"anggota_tim": rows, "jumlah_setuju": len(voted)}


def register():
    group = "Pembinaan (P5)"
    registry.register(
        registry.DocType(
            doctype="Permohonan Banpol",
            model=PermohonanBanpol,
            process_code="P5.4.1",
            group=group,
            autoname="PBANPOL-{YYYY}-{seq:04}",
            title_field="parpol",
            holder_field="parpol",
            owner_unit="BID_POLDAGRI",
            print_context=banpol_print_context,
            validate=services.permohonan_banpol_validate,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                    "Tim Verifikasi": ["view"],
                    "TAPD": ["view"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Pencairan Banpol",
            model=PencairanBanpol,
            process_code="P5.4.2",
            group=group,
            autoname="CBANPOL-{YYYY}-{seq:04}",
            title_field="parpol",
            holder_field="parpol",
            owner_unit="BID_POLDAGRI",
            on_enter_state=services.pencairan_on_enter,
            validate=services.pencairan_banpol_validate,
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Bendahara": ["view", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                    "Tim Verifikasi": ["view"],
                }
            },
        )
    )
    registry.register(
        registry.DocType(
            doctype="Hibah Ormas",
            model=HibahOrmas,
            process_code="P5.6.2",
            group=group,
            autoname="HORMAS-{YYYY}-{seq:04}",
            title_field="nama_ormas",
            holder_field="nama_ormas",
            owner_unit="BID_KBK",
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Bendahara": ["view"],
                    "Pengelola Keuangan": ["view", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )
