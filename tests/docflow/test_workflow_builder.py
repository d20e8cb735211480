"""The visual workflow builder's server side: problems per element, saving
through the definition services, live figures through the visibility
selector, the document's path, swimlanes (SVG, PDF) and the import diff."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import registry
from apps.docflow.models import Workflow, WorkflowLog
from apps.docflow.services.definitions import export_workflow
from apps.docflow.services.diagram import state_statistics, swimlane_layout
from apps.laporan.selectors import pending_per_unit
from tests.conftest import advance_skt, make_skt, pdf_text, user

CHECK = "/app/docflow/workflow/diagram/periksa/"


def skt_workflow():
    return Workflow.objects.get(workflow_name="Permohonan SKT")


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_check_marks_the_element_at_fault(login_as):
    admin = login_as("admin")
    spec = export_workflow(skt_workflow())
    spec["states"].append(dict(spec["states"][0], state="Pulau Terpencil", is_final=False))
    spec["transitions"].append(dict(spec["transitions"][0], allowed="", condition="doc.tidak_ada > 1"))
    bad = len(spec["transitions"]) - 1
    response = post_json(admin, CHECK, spec)
    assert response.status_code == 200
    problems = response.json()["problems"]
    by_state = {p["state"] for p in problems if p["state"]}
    by_transition = [p for p in problems if p["transition"] == bad]
    assert "Pulau Terpencil" in by_state  # unreachable and without a way out
    assert any("tidak menyebut peran" in p["message"] for p in by_transition)
    assert any("tidak_ada" in p["message"] for p in by_transition)  # the condition's syntax check names the field
    assert response.json()["ok"] is False

    response = post_json(admin, CHECK, export_workflow(skt_workflow()))
    assert response.json() == {"ok": True, "problems": []}


def test_check_refuses_garbage_without_a_500(login_as):
    admin = login_as("admin")
    for body in ("{bukan json", json.dumps([1, 2]), json.dumps({"states": "x"})):
        response = admin.post(CHECK, body, content_type="application/json")
        assert response.status_code == 400, body
        assert "bukan JSON alur kerja" in response.json()["problems"][0]["message"]


def test_builder_saves_through_the_definition_service(login_as):
    admin = login_as("admin")
    workflow = skt_workflow()
    page = admin.get(f"/app/docflow/workflow/{workflow.pk}/diagram/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="df-data"' in html and "dagre.min.js" in html
    assert len(page.content) < 150_000  # the old page was 745 KB

    spec = export_workflow(workflow)
    spec["states"].insert(2, dict(spec["states"][1], state="Telaah Ulang", sla_days=2))
    spec["transitions"].append(
        dict(spec["transitions"][0], state="Survei Lokasi", action="Minta Telaah", next_state="Telaah Ulang")
    )
    spec["transitions"].append(
        dict(spec["transitions"][0], state="Telaah Ulang", action="Selesai Telaah", next_state="Survei Lokasi")
    )
    spec["workflow_name"] = "nama lain diabaikan"
    response = post_json(admin, f"/app/docflow/workflow/{workflow.pk}/diagram/simpan/", spec)
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True
    saved = export_workflow(skt_workflow())
    assert [s["state"] for s in saved["states"]] == [s["state"] for s in spec["states"]]
    assert any(t["action"] == "Minta Telaah" for t in saved["transitions"])
    assert Workflow.objects.filter(workflow_name="nama lain diabaikan").count() == 0

    before = export_workflow(skt_workflow())
    spec["transitions"][-1]["next_state"] = "Entah"
    response = post_json(admin, f"/app/docflow/workflow/{workflow.pk}/diagram/simpan/", spec)
    assert response.status_code == 400
    assert response.json()["problems"][0]["transition"] == len(spec["transitions"]) - 1
    assert export_workflow(skt_workflow()) == before


def test_builder_creates_a_new_workflow(login_as):
    admin = login_as("admin")
    assert admin.get("/app/docflow/workflow/diagram/baru/?doctype=Permohonan%20SKT").status_code == 200
    spec = {
        "workflow_name": "SKT ringkas",
        "document_type": "Permohonan SKT",
        "is_active": False,
        "states": [{"state": "Baru"}, {"state": "Selesai", "is_final": True, "doc_status": 1}],
        "transitions": [{"state": "Baru", "action": "Selesaikan", "next_state": "Selesai", "allowed": "Kepala Badan"}],
    }
    response = post_json(admin, "/app/docflow/workflow/diagram/simpan/", spec)
    assert response.status_code == 200, response.content
    created = Workflow.objects.get(workflow_name="SKT ringkas")
    assert response.json()["url"] == f"/app/docflow/workflow/{created.pk}/diagram/"
    assert skt_workflow().is_active  # the live one stays active
    response = post_json(admin, "/app/docflow/workflow/diagram/simpan/", spec)
    assert response.status_code == 400
    assert "sudah ada" in response.json()["problems"][0]["message"]


def test_builder_is_for_administrators_only(login_as):
    staff = login_as("pelayanan_kbk")
    workflow = skt_workflow()
    assert staff.get(f"/app/docflow/workflow/{workflow.pk}/diagram/").status_code == 403
    before = export_workflow(workflow)
    response = post_json(staff, f"/app/docflow/workflow/{workflow.pk}/diagram/simpan/", before)
    assert response.status_code == 403
    assert post_json(staff, CHECK, before).status_code == 403


@pytest.mark.engine
def test_live_figures_match_the_pending_report_and_the_selector():
    make_skt()
    make_skt()
    late = make_skt()
    PermohonanSKT.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    advance_skt(make_skt(), "Survei Lokasi")
    for username in ("pelayanan_kbk", "kaban", "staf_poldagri"):
        viewer = user(username)
        figures = state_statistics(viewer, "Permohonan SKT")
        pending: dict[str, list[int]] = {}
        for row in pending_per_unit(viewer, process_code="P8.1"):
            counts = pending.setdefault(row.state, [0, 0])
            counts[0] += row.count
            counts[1] += row.overdue
        for state, (count, overdue) in pending.items():
            assert figures[state]["count"] == count, (username, state)
            assert figures[state]["overdue"] == overdue, (username, state)
        for state, row in figures.items():
            if state in pending:
                continue
            info = registry.get("Permohonan SKT")
            assert row["count"] == 0 or state in {
                s for s in info.model.objects.values_list("workflow_state", flat=True)
            }
    mine = state_statistics(user("pelayanan_kbk"), "Permohonan SKT")
    assert mine["Menunggu Verifikasi"]["count"] >= 3 and mine["Menunggu Verifikasi"]["overdue"] >= 1
    assert mine["Menunggu Verifikasi"]["median_days"] is not None  # one stay ended (the advanced one)
    assert "workflow_state=Menunggu+Verifikasi" in mine["Menunggu Verifikasi"]["url"]
    outsider = state_statistics(user("staf_poldagri"), "Permohonan SKT")
    assert outsider.get("Menunggu Verifikasi", {"count": 0})["count"] == 0


def test_live_map_page_and_data(login_as):
    make_skt()
    workflow = skt_workflow()
    kaban = login_as("kaban")
    page = kaban.get(f"/app/docflow/workflow/{workflow.pk}/peta/")
    assert page.status_code == 200
    data = kaban.get(f"/app/docflow/workflow/{workflow.pk}/peta/data/?hari=90").json()
    assert data["ok"] and data["days"] == 90
    assert data["states"]["Menunggu Verifikasi"]["count"] >= 1


def test_document_form_shows_its_path(login_as):
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    client = login_as("pelayanan_kbk")
    html = client.get(f"/app/perizinan/permohonanskt/{doc.pk}/change/").content.decode()
    assert 'id="docflow-diagram"' in html
    start = html.index('id="df-doc-data"')
    payload = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert payload["current"] == "Menunggu Persetujuan"
    assert [p["to"] for p in payload["path"]] == ["Survei Lokasi", "Menunggu Persetujuan"]
    assert WorkflowLog.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").count() >= 3


def test_swimlanes_for_every_workflow(login_as):
    admin = login_as("admin")
    for workflow in Workflow.objects.filter(is_active=True):
        spec = export_workflow(workflow)
        layout = swimlane_layout(spec)
        assert set(layout["positions"]) == {s["state"] for s in spec["states"]}, workflow.workflow_name
        response = admin.get(f"/app/docflow/workflow/{workflow.pk}/swimlane.svg")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        svg = response.content.decode()
        for lane in layout["lanes"]:
            assert lane.split()[0] in svg
    workflow = skt_workflow()
    assert admin.get(f"/app/docflow/workflow/{workflow.pk}/swimlane/").status_code == 200
    response = admin.get(f"/app/docflow/workflow/{workflow.pk}/swimlane.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Menunggu" in text and "Kepala Badan" in text


def test_import_over_a_live_workflow_asks_with_a_diff(login_as):
    admin = login_as("admin")
    before = export_workflow(skt_workflow())
    spec = json.loads(json.dumps(before))
    spec["transitions"][0]["action"] = "Berkas Sudah Lengkap"
    upload = SimpleUploadedFile("skt.json", json.dumps(spec).encode(), content_type="application/json")
    response = admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ganti alur kerja Permohonan SKT?" in html
    assert "Berkas Sudah Lengkap" in html and 'id="import-diff"' in html
    assert export_workflow(skt_workflow()) == before  # nothing yet

    response = admin.post("/app/docflow/workflow/impor/", {"konfirmasi": "batal"})
    assert response.status_code == 302
    assert export_workflow(skt_workflow()) == before
    assert admin.post("/app/docflow/workflow/impor/", {"konfirmasi": "ganti"}).status_code == 200  # nothing pending

    upload = SimpleUploadedFile("skt.json", json.dumps(spec).encode(), content_type="application/json")
    admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
    response = admin.post("/app/docflow/workflow/impor/", {"konfirmasi": "ganti"})
    assert response.status_code == 302
    assert export_workflow(skt_workflow())["transitions"][0]["action"] == "Berkas Sudah Lengkap"
