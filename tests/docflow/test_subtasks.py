"""Sub-tasks ("Permintaan Data / Tugas"): sent from any registered document to
units or people, answered with files, returned for revision, awaited by a
transition; in the inbox, the reports, escalation and the timeline."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from apps.docflow import calendar
from apps.docflow.desk.timeline import timeline_for
from apps.docflow.exceptions import SubTasksOpen, WorkflowPermissionError
from apps.docflow.models import Notification, SubTask, Workflow, WorkflowLog
from apps.docflow.selectors import inbox_for_user, visible_documents
from apps.docflow.services.definitions import export_workflow, import_workflow
from apps.docflow.services.files import file_create
from apps.docflow.services.subtasks import SubTaskNotOpen, subtask_answer, subtask_create, subtask_return
from apps.docflow.services.workflow import apply_action, available_actions
from apps.laporan.models import Eskalasi
from apps.laporan.selectors import pending_per_person, pending_per_unit
from apps.laporan.services import escalate_overdue
from apps.organisasi.models import Unit
from tests.conftest import advance_skt, fill_survey, make_skt, pdf_upload, survey_file, user

pytestmark = pytest.mark.engine

STEP = "Laporkan Hasil Survei"


def waits_for_subtasks(action=STEP):
    spec = export_workflow(Workflow.objects.get(workflow_name="Permohonan SKT"))
    for t in spec["transitions"]:
        if t["action"] == action:
            t["require_subtasks_done"] = True
    import_workflow(spec)


def unit(kode):
    return Unit.objects.get(kode=kode)


def at_survey():
    return fill_survey(advance_skt(make_skt(), "Survei Lokasi"))


def two_requests(doc):
    a = subtask_create(
        doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="Data kegiatan Ormas 2026", due_days=3
    )
    b = subtask_create(
        doc=doc,
        user=user("pelayanan_kbk"),
        unit=unit("BID_POLDAGRI"),
        assignee=user("staf_poldagri"),
        instruction="Catatan kerawanan konflik",
    )
    return a, b


def inbox_names(username):
    return {doc.name: actions for info, doc, actions in inbox_for_user(user(username))}


def test_subtasks_gate_the_step_and_reach_the_assignees():
    waits_for_subtasks()
    doc = at_survey()
    a, b = two_requests(doc)
    assert (a.state, a.state_seq) == ("Survei Lokasi", doc.state_seq)
    assert a.due_date == calendar.add_working_days(timezone.localdate(), 3)

    # the step waits; the action list says which are open and whose
    blocked = {x.action: x for x in available_actions(doc, user("pelayanan_kbk"), include_blocked=True)}[STEP]
    assert not blocked.enabled and not blocked.duty
    assert {t.pk for t in blocked.open_subtasks} == {a.pk, b.pk}
    assert "Bidang" in blocked.missing and "Catatan" not in blocked.missing
    assert STEP not in [x.action for x in available_actions(doc, user("pelayanan_kbk"))]
    with pytest.raises(SubTasksOpen) as refused:
        apply_action(doc=doc, action=STEP, user=user("pelayanan_kbk"), attachments=[survey_file()])
    assert len(refused.value.open_tasks) == 2
    doc.refresh_from_db()
    assert doc.workflow_state == "Survei Lokasi"

    # the assignees see the document and have it in "Menunggu Tindakan Saya"
    for username in ("staf_iwk", "kabid_iwk", "staf_poldagri"):
        assert doc.pk in set(visible_documents(type(doc), user(username)).values_list("pk", flat=True))
        assert doc.name in inbox_names(username), username
    assert [x.kind for x in inbox_names("staf_poldagri")[doc.name]] == ["subtask"]
    assert doc.name not in inbox_names("staf_kbk")  # not addressed to them
    assert doc.name not in inbox_names("kabid_poldagri")  # b names a person
    assert Notification.objects.filter(user=user("staf_poldagri"), document_name=doc.name).exists()

    # reports: pending per unit (the target unit) and per person
    rows = [r for r in pending_per_unit(user("kaban")) if r.kind == "subtask"]
    assert {(r.unit_id, r.count) for r in rows} == {(unit("BID_IWK").pk, 1), (unit("BID_POLDAGRI").pk, 1)}
    people = {(p.doctype, p.user_id) for p in pending_per_person(user("kaban"))}
    assert ("Permintaan Data/Tugas", user("staf_poldagri").pk) in people

    # answer with a file; return for revision; answer again
    evidence = file_create(uploaded=pdf_upload("data-ormas.pdf"), user=user("staf_iwk"))
    subtask_answer(task=a, user=user("staf_iwk"), answer="Terlampir 12 Ormas aktif.", files=[evidence])
    a.refresh_from_db()
    assert a.status == SubTask.Status.DONE and list(a.answer_files.all()) == [evidence]
    assert doc.name not in inbox_names("staf_iwk")
    subtask_return(task=a, user=user("pelayanan_kbk"), note="Lengkapi alamat sekretariat.")
    a.refresh_from_db()
    assert (a.status, a.revision) == (SubTask.Status.RETURNED, 1)
    assert doc.name in inbox_names("staf_iwk")
    subtask_answer(task=a, user=user("kabid_iwk"), answer="Alamat dilengkapi.")
    assert not Notification.objects.filter(subject__startswith="Semua permintaan", document_name=doc.name).exists()
    subtask_answer(task=b, user=user("staf_poldagri"), answer="Tidak ada catatan kerawanan.")
    assert Notification.objects.filter(
        user=user("pelayanan_kbk"), subject__startswith="Semua permintaan", document_name=doc.name
    ).exists()

    result = apply_action(doc=doc, action=STEP, user=user("pelayanan_kbk"), attachments=[survey_file()])
    assert result.doc.workflow_state == "Menunggu Persetujuan"
    titles = [e.title for e in timeline_for(result.doc) if e.kind == "subtask"]
    assert any("dikembalikan untuk perbaikan" in t for t in titles)
    assert any(t.startswith("Permintaan data/tugas kepada") for t in titles)
    assert "Semua permintaan data/tugas selesai" in titles


def test_subtask_refusals_change_nothing():
    doc = at_survey()
    before = SubTask.objects.count(), WorkflowLog.objects.filter(document_id=doc.pk).count()
    with pytest.raises(ValidationError):
        subtask_create(doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="  ")
    with pytest.raises(ValidationError):  # the person does not work in the target unit
        subtask_create(
            doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), assignee=user("staf_kbk"), instruction="x"
        )
    with pytest.raises(ValidationError):
        subtask_create(doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="x", due_days=0)
    with pytest.raises(WorkflowPermissionError):  # not the holder of the step
        subtask_create(doc=doc, user=user("staf_iwk"), unit=unit("BID_IWK"), instruction="x")
    assert (SubTask.objects.count(), WorkflowLog.objects.filter(document_id=doc.pk).count()) == before

    task = subtask_create(doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="Data")
    with pytest.raises(WorkflowPermissionError):  # not addressed to them
        subtask_answer(task=task, user=user("staf_kbk"), answer="Saya jawab")
    with pytest.raises(ValidationError):
        subtask_answer(task=task, user=user("staf_iwk"), answer="")
    with pytest.raises(SubTaskNotOpen):  # nothing to return yet
        subtask_return(task=task, user=user("pelayanan_kbk"), note="Perbaiki")
    subtask_answer(task=task, user=user("staf_iwk"), answer="Ini datanya")
    with pytest.raises(SubTaskNotOpen):
        subtask_answer(task=task, user=user("staf_iwk"), answer="Sekali lagi")
    with pytest.raises(WorkflowPermissionError):  # only the holder of the step returns
        subtask_return(task=task, user=user("staf_iwk"), note="Perbaiki")
    task.refresh_from_db()
    assert task.status == SubTask.Status.DONE and task.answer == "Ini datanya"


def test_leaving_the_state_closes_its_open_subtasks():
    doc = at_survey()  # the step does not wait for them here
    task = subtask_create(doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="Data")
    apply_action(doc=doc, action=STEP, user=user("pelayanan_kbk"), attachments=[survey_file()])
    task.refresh_from_db()
    assert task.status == SubTask.Status.CANCELLED
    assert doc.name not in inbox_names("staf_iwk")


def test_overdue_subtasks_are_escalated_once_per_level():
    doc = at_survey()
    task = subtask_create(
        doc=doc,
        user=user("pelayanan_kbk"),
        unit=unit("BID_POLDAGRI"),
        assignee=user("staf_poldagri"),
        instruction="Data",
        due_days=1,
    )
    later = timezone.now() + datetime.timedelta(days=30)
    escalate_overdue(now=later)
    rows = Eskalasi.objects.filter(doctype="Permintaan Data / Tugas", document_id=task.pk)
    assert set(rows.values_list("tingkat", flat=True)) == {1, 2}
    assert user("staf_poldagri") in rows.get(tingkat=1).penerima.all()
    escalate_overdue(now=later)
    assert rows.count() == 2


def test_desk_form_sends_answers_and_shows_subtasks(login_as):
    waits_for_subtasks()
    doc = at_survey()
    url = f"/app/perizinan/permohonanskt/{doc.pk}/"
    client = login_as("pelayanan_kbk")
    response = client.post(
        url + "subtugas/",
        {"op": "create", "unit": unit("BID_IWK").pk, "instruction": "Rekap kegiatan", "due_days": "2"},
    )
    assert response.status_code == 302
    task = SubTask.objects.get(document_id=doc.pk, doctype="Permohonan SKT")
    page = client.get(url + "change/").content.decode()
    assert 'id="docflow-subtasks"' in page and "Rekap kegiatan" in page
    assert 'id="docflow-blocked"' in page and "menunggu permintaan data/tugas" in page
    # refused input: a clear message, nothing created
    client.post(url + "subtugas/", {"op": "create", "unit": unit("BID_IWK").pk, "instruction": ""})
    assert SubTask.objects.filter(document_id=doc.pk).count() == 1

    answerer = login_as("staf_iwk")
    listing = answerer.get("/app/docflow/subtask/")
    assert listing.status_code == 200 and doc.name in listing.content.decode()
    assert doc.name not in login_as("staf_poldagri").get("/app/docflow/subtask/").content.decode()
    answerer = login_as("staf_iwk")
    page = answerer.get(url + "change/").content.decode()
    assert "docflow-subtask-answer" in page
    answerer.post(
        url + "subtugas/",
        {"op": "answer", "task": task.pk, "answer": "Sudah direkap", "answer_files": pdf_upload("rekap.pdf")},
    )
    task.refresh_from_db()
    assert task.status == SubTask.Status.DONE and task.answer_files.count() == 1
    inbox = login_as("pelayanan_kbk").get("/app/menunggu-tindakan/").content.decode()
    assert doc.name in inbox


# --- concurrency --------------------------------------------------------------------------------

server_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row locks need PostgreSQL or MariaDB; CI runs this there"
)


def _in_threads(works):
    barrier = threading.Barrier(len(works))
    results, errors = [None] * len(works), []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = works[i]()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_subtasks_finishing_at_once():
    """Both answers land; exactly one of them sees the last open sub-task
    close and says so, and the step is then open."""
    waits_for_subtasks()
    doc = at_survey()
    a, b = two_requests(doc)
    _in_threads(
        [
            lambda: subtask_answer(task=a, user=user("staf_iwk"), answer="Data IWK"),
            lambda: subtask_answer(task=b, user=user("staf_poldagri"), answer="Data Poldagri"),
        ]
    )
    assert set(SubTask.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"done"}
    all_done = WorkflowLog.objects.filter(
        document_id=doc.pk, doctype="Permohonan SKT", action="Semua permintaan data/tugas selesai"
    )
    assert all_done.count() == 1
    doc.refresh_from_db()
    assert STEP in [x.action for x in available_actions(doc, user("pelayanan_kbk"))]


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_the_step_never_lands_after_it():
    """The step and an answer queue on the document's row: either the answer
    comes first (and the step then passes) or the step is refused."""
    waits_for_subtasks()
    doc = at_survey()
    task = subtask_create(doc=doc, user=user("pelayanan_kbk"), unit=unit("BID_IWK"), instruction="Data")

    def step():
        try:
            return apply_action(doc=doc, action=STEP, user=user("pelayanan_kbk"), attachments=[survey_file()]).applied
        except SubTasksOpen:
            return False

    applied, _answered = _in_threads([step, lambda: subtask_answer(task=task, user=user("staf_iwk"), answer="x")])
    doc.refresh_from_db()
    task.refresh_from_db()
    assert task.status == SubTask.Status.DONE
    assert doc.workflow_state == ("Menunggu Persetujuan" if applied else "Survei Lokasi")
