"""The engine beyond the P8.1 path: quorum, conditions, reconfiguration as
data, the definition validator, import/export and idempotent reference loading."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from apps.docflow.exceptions import AlreadyVoted, ConditionNotMet, RoleNotAllowed
from apps.docflow.models import PrintFormat, Workflow, WorkflowLog, WorkflowVote
from apps.docflow.services.definitions import (
    export_workflow,
    import_workflow,
    sync_reference_files,
    validate_spec,
)
from apps.docflow.services.workflow import apply_action, available_actions
from tests.conftest import advance_skt, make_skt, user

# The workflow engine's queries (conditions, quorum counts, reference loading).
pytestmark = pytest.mark.engine


def skt_spec():
    return export_workflow(Workflow.objects.get(workflow_name="Permohonan SKT"))


def edit_transition(spec, action, **changes):
    for t in spec["transitions"]:
        if t["action"] == action:
            t.update(changes)
    return spec


def test_quorum_needs_distinct_members():
    import_workflow(edit_transition(skt_spec(), "Arsipkan", allowed="Tim Verifikasi", quorum=2, condition=""))
    doc = advance_skt(make_skt(), "SKT Terbit")
    with pytest.raises(RoleNotAllowed):
        apply_action(doc=doc, action="Arsipkan", user=user("staf_kbk"))
    first = apply_action(doc=doc, action="Arsipkan", user=user("timver1"), comment="Berkas sesuai.")
    assert not first.applied and (first.votes, first.quorum) == (1, 2)
    assert first.doc.workflow_state == "SKT Terbit"
    assert first.log.kind == WorkflowLog.Kind.VOTE
    assert "Arsipkan" not in [a.action for a in available_actions(doc, user("timver1"))]
    with pytest.raises(AlreadyVoted):
        apply_action(doc=doc, action="Arsipkan", user=user("timver1"))
    assert [a.votes for a in available_actions(doc, user("timver2"))] == [1]
    second = apply_action(doc=doc, action="Arsipkan", user=user("timver2"))
    assert second.applied and second.doc.workflow_state == "Diarsipkan"
    assert set(WorkflowVote.objects.filter(document_id=doc.pk).values_list("user__username", flat=True)) == {
        "timver1",
        "timver2",
    }


def test_committee_member_of_any_unit_sees_only_what_waits_for_the_committee():
    from apps.bakesbangpol.perizinan.models import PermohonanSKT
    from apps.docflow.selectors import visible_documents

    import_workflow(edit_transition(skt_spec(), "Arsipkan", allowed="Tim Verifikasi", condition=""))
    waiting = advance_skt(make_skt(nama_ormas="Menunggu Tim"), "SKT Terbit")
    other = make_skt(nama_ormas="Belum")
    visible = set(visible_documents(PermohonanSKT, user("timver2")).values_list("pk", flat=True))
    assert waiting.pk in visible and other.pk not in visible


def test_condition_routes_by_document_data():
    spec = skt_spec()
    spec["states"].append({"state": "Survei Ulang", "doc_status": 0, "allow_edit": "Petugas Pelayanan", "sla_days": 3})
    spec["transitions"].append(
        {
            "state": "Survei Ulang",
            "action": "Laporkan Hasil Survei",
            "next_state": "Menunggu Persetujuan",
            "allowed": "Petugas Pelayanan",
        }
    )
    spec["transitions"].append(
        {
            "state": "Menunggu Verifikasi",
            "action": "Berkas Lengkap",
            "next_state": "Survei Ulang",
            "allowed": "Petugas Pelayanan",
            "condition": "doc.kecamatan == 'Purworejo'",
        }  # fmt: skip
    )
    # the first matching transition wins: put the conditional one first
    spec["transitions"].insert(0, spec["transitions"].pop())
    import_workflow(spec)
    assert (
        apply_action(
            doc=make_skt(kecamatan="Purworejo"), action="Berkas Lengkap", user=user("pelayanan_kbk")
        ).doc.workflow_state
        == "Survei Ulang"
    )
    assert (
        apply_action(
            doc=make_skt(kecamatan="Bugul Kidul"), action="Berkas Lengkap", user=user("pelayanan_kbk")
        ).doc.workflow_state
        == "Survei Lokasi"
    )


def test_conditions_cannot_reach_outside_the_document():
    from apps.docflow.conditions import evaluate

    doc = make_skt()
    assert evaluate("doc.nama_ormas.startswith('Paguyuban')", doc) is True
    for expression in ("doc.__class__", "doc.save()", "__import__('os')", "doc._values", "open('/etc/passwd')"):
        assert evaluate(expression, doc) is False
    with pytest.raises(ConditionNotMet):
        import_workflow(edit_transition(skt_spec(), "Berkas Lengkap", condition="len(doc.nama_ormas) > 500"))
        apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk"))


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda s: s["states"].append({"state": "Yatim", "doc_status": 0}), "tidak dapat dicapai"),
        (lambda s: edit_transition(s, "Berkas Lengkap", allowed="Peran Fiktif"), "Peran Peran Fiktif tidak dikenal"),
        (lambda s: edit_transition(s, "Berkas Lengkap", condition="doc.nama_ormas =="), "syarat tidak dapat dibaca"),
        (lambda s: edit_transition(s, "Berkas Lengkap", condition="doc.tidak_ada"), "field tidak dikenal"),
        (lambda s: edit_transition(s, "Berkas Lengkap", next_state="Antah Berantah"), "tidak ada"),
        (
            lambda s: s.update(transitions=[t for t in s["transitions"] if t["state"] != "Diarsipkan"]),
            "tidak memiliki transisi keluar",
        ),
        (lambda s: s["states"].append(dict(s["states"][0])), "lebih dari sekali"),
        (lambda s: edit_transition(s, "Setujui", quorum=0), "Kuorum"),
        (lambda s: s.update(document_type="Jenis Fiktif"), "tidak dikenal"),
    ],
)
def test_invalid_definitions_are_refused_and_change_nothing(mutate, message):
    before = skt_spec()
    spec = copy.deepcopy(before)
    mutate(spec)
    errors = validate_spec(spec)
    assert any(message in e for e in errors), errors
    with pytest.raises(ValidationError):
        import_workflow(spec)
    assert skt_spec() == before


def test_a_state_in_use_cannot_be_deleted_or_renamed():
    make_skt()  # a document now sits in "Menunggu Verifikasi"
    spec = skt_spec()
    spec["states"][0]["state"] = "Verifikasi Berkas"
    for t in spec["transitions"]:
        for key in ("state", "next_state"):
            if t[key] == "Menunggu Verifikasi":
                t[key] = "Verifikasi Berkas"
    assert any("masih dipakai" in e for e in validate_spec(spec))


def test_export_import_round_trip_is_frappe_shaped():
    spec = skt_spec()
    assert spec["doctype"] == "Workflow" and spec["workflow_state_field"] == "workflow_state"
    assert {"state", "action", "next_state", "allowed", "condition", "allow_self_approval"} <= set(
        spec["transitions"][0]
    )
    assert {"state", "doc_status", "allow_edit", "update_field", "update_value"} <= set(spec["states"][0])
    text = json.dumps(spec)
    import_workflow(json.loads(text))
    assert skt_spec() == spec


def test_reference_loading_is_idempotent_and_keeps_administrator_edits():
    assert all(line.endswith("tetap") for line in sync_reference_files())
    # an administrator edits the workflow and a print format in the desk
    import_workflow(edit_transition(skt_spec(), "Arsipkan", allowed="Petugas Pelayanan"))
    PrintFormat.objects.filter(name="Surat Keterangan Terdaftar").update(css="body { color: #000 }")
    log = sync_reference_files()
    assert "Alur kerja Permohonan SKT: diubah administrator, berkas tidak diterapkan" in log
    assert "Format cetak Surat Keterangan Terdaftar: diubah administrator, berkas tidak diterapkan" in log
    assert [t["allowed"] for t in skt_spec()["transitions"] if t["action"] == "Arsipkan"] == ["Petugas Pelayanan"]
    assert PrintFormat.objects.get(name="Surat Keterangan Terdaftar").css == "body { color: #000 }"


def test_unedited_reference_record_follows_a_changed_file():
    wf = Workflow.objects.get(workflow_name="Permohonan SKT")
    # pretend an older file had been loaded: the record equals what was loaded then
    old = edit_transition(skt_spec(), "Arsipkan", allowed="Petugas Pelayanan")
    from apps.docflow.services.definitions import _hash, normalize_spec

    import_workflow(old, seed_hash=_hash(normalize_spec(old)))
    assert "Alur kerja Permohonan SKT: diperbarui dari berkas" in sync_reference_files()
    assert [t["allowed"] for t in skt_spec()["transitions"] if t["action"] == "Arsipkan"] == ["Staf Bidang"]
    assert Workflow.objects.get(pk=wf.pk).is_active
