"""The inbox lists pending duties, not only actions whose condition holds;
the form says in words what a blocked action is missing; a committee member
who voted is done with the step; the most relevant refusal is reported."""

import pytest

from apps.bakesbangpol.perizinan.models import PERSYARATAN_SKT
from apps.docflow import conditions
from apps.docflow.exceptions import AlreadyVoted, ConditionNotMet, RoleNotAllowed, VotedInThisStep
from apps.docflow.models import Workflow
from apps.docflow.selectors import inbox_for_user
from apps.docflow.services.definitions import export_workflow, import_workflow
from apps.docflow.services.workflow import apply_action, available_actions
from tests.bakesbangpol.pembinaan.helpers import ajukan, sampai_keputusan_tim
from tests.bakesbangpol.umum.helpers import verified_surat
from tests.conftest import advance_skt, make_skt, survey_file, user

pytestmark = pytest.mark.engine


def inbox(username):
    return {doc.name: actions for info, doc, actions in inbox_for_user(user(username))}


def test_letter_waiting_for_the_disposition_is_in_the_kepala_badans_inbox(login_as):
    surat = verified_surat()
    assert surat.workflow_state == "Menunggu Disposisi"
    duties = inbox("kaban")[surat.name]
    assert [(d.action, d.enabled) for d in duties] == [("Disposisi", False)]
    assert duties[0].missing == "Buat disposisi surat ini terlebih dahulu"
    page = login_as("kaban").get(f"/app/umum/suratmasuk/{surat.pk}/change/").content.decode()
    assert "Buat disposisi surat ini terlebih dahulu" in page
    # still refused by the engine, with the same words
    with pytest.raises(ConditionNotMet) as refused:
        apply_action(doc=surat, action="Disposisi", user=user("kaban"))
    assert "Buat disposisi surat ini terlebih dahulu" in refused.value.message


def test_missing_fields_are_named_and_the_document_waits_for_who_fills_them(login_as):
    doc = advance_skt(make_skt(), "Survei Lokasi")
    duty = {a.action: a for a in inbox("pelayanan_kbk")[doc.name]}["Laporkan Hasil Survei"]
    assert not duty.enabled and duty.duty
    assert duty.missing == "Isi tanggal survei lokasi dan hasil survei lokasi"
    with pytest.raises(ConditionNotMet) as refused:
        apply_action(doc=doc, action="Laporkan Hasil Survei", user=user("pelayanan_kbk"), attachments=[survey_file()])
    assert "Isi tanggal survei lokasi dan hasil survei lokasi" in refused.value.message
    doc.hasil_survei = "Sekretariat aktif."
    doc.save()
    explanation = conditions.explain("doc.tanggal_survei and doc.hasil_survei", doc)
    assert explanation.text == "Isi tanggal survei lokasi" and explanation.kind == "fields"
    page = login_as("pelayanan_kbk").get(f"/app/perizinan/permohonanskt/{doc.pk}/change/").content.decode()
    assert "Isi tanggal survei lokasi" in page
    # who cannot fill them (another unit's staff, the Kepala Badan) has no duty here
    assert doc.name not in inbox("kaban")


def test_checklist_condition_counts_what_is_not_ticked():
    missing = [field for field, _label in PERSYARATAN_SKT[:3]]
    doc = make_skt(**{f: False for f in missing})
    cond = " and ".join(f"doc.{f}" for f, _label in PERSYARATAN_SKT)
    explanation = conditions.explain(cond, doc)
    assert explanation.text.startswith(f"Centang {len(PERSYARATAN_SKT)} kelengkapan: 3 belum (")
    assert conditions.explain(cond, make_skt()) is None


def test_explanations_of_comparisons_time_and_the_user():
    doc = make_skt()
    assert conditions.explain("doc.state_seq > 2", doc).text == "State seq harus lebih dari 2"
    assert conditions.explain("doc.created_at is None", doc).kind == "fields"
    assert conditions.explain("doc.number_date <= today()", doc).kind in ("time", "other")
    assert conditions.explain("doc.created_by_id == user_id", doc, user("kaban")).kind == "user"
    assert conditions.explain("doc.name", doc, description="Tulis nama") is None


def banpol_at_team():
    return sampai_keputusan_tim(ajukan())


def test_a_member_who_voted_approve_cannot_reject_alone_and_leaves_the_inbox():
    doc = banpol_at_team()
    assert {a.action for a in inbox("timver1")[doc.name]} == {"Setujui Verifikasi", "Nyatakan Tidak Lolos"}
    vote = apply_action(doc=doc, action="Setujui Verifikasi", user=user("timver1"))
    assert not vote.applied
    with pytest.raises(VotedInThisStep):
        apply_action(doc=doc, action="Nyatakan Tidak Lolos", user=user("timver1"), comment="Berubah pikiran")
    with pytest.raises(AlreadyVoted):
        apply_action(doc=doc, action="Setujui Verifikasi", user=user("timver1"))
    doc.refresh_from_db()
    assert doc.workflow_state == "Verifikasi Tim"
    assert doc.name not in inbox("timver1")
    assert available_actions(doc, user("timver1")) == []
    # the others still vote or reject
    assert {a.action for a in inbox("timver2")[doc.name]} == {"Setujui Verifikasi", "Nyatakan Tidak Lolos"}
    assert [a.votes for a in available_actions(doc, user("timver2")) if a.action == "Setujui Verifikasi"] == [1]
    result = apply_action(doc=doc, action="Nyatakan Tidak Lolos", user=user("timver2"), comment="Tidak lolos.")
    assert result.doc.workflow_state == "Ditolak"


def test_the_most_relevant_refusal_among_same_named_transitions():
    spec = export_workflow(Workflow.objects.get(workflow_name="Permohonan SKT"))
    first = next(t for t in spec["transitions"] if t["action"] == "Setujui")
    spec["transitions"].append(
        {**first, "allowed": "Kepala Bidang", "condition": "doc.hasil_survei == 'khusus'", "idx": 99}
    )
    import_workflow(spec)
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    # the first candidate refuses by role; the Kepala Bidang's own fails on its condition: that one is said
    with pytest.raises(ConditionNotMet) as refused:
        apply_action(doc=doc, action="Setujui", user=user("kabid_kbk"))
    assert "Hasil survei lokasi harus bernilai 'khusus'" in refused.value.message
    with pytest.raises(RoleNotAllowed):
        apply_action(doc=doc, action="Setujui", user=user("staf_kbk"))
