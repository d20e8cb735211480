"""The desk (Django admin at /app/) as its users meet it: lists filtered by
unit, workflow buttons that POST, the print preview and PDFs, the inbox, and
an administrator reconfiguring a workflow through the change form alone."""

import json

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import registry
from apps.docflow.models import File, IssuedDocument, Workflow, WorkflowLog
from apps.docflow.services.definitions import export_workflow
from apps.docflow.services.workflow import apply_action
from tests.conftest import advance_skt, fill_survey, make_skt, pdf_text, pdf_upload, user

LIST_URL = "/app/perizinan/permohonanskt/"
INBOX_URL = "/app/menunggu-tindakan/"


def change_url(doc):
    return f"{LIST_URL}{doc.pk}/change/"


def action_url(doc):
    return f"{LIST_URL}{doc.pk}/tindakan/"


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def post_action(client, doc, action, *, expected_state=None, comment="", attachments=None):
    data = {"action": action, "expected_state": expected_state or doc.workflow_state, "comment": comment}
    if attachments is not None:
        data["attachments"] = attachments
    return client.post(action_url(doc), data, follow=True)


def reload(doc):
    return PermohonanSKT.objects.get(pk=doc.pk)


# --- 1. the list, filtered by unit ------------------------------------------------


def test_changelist_shows_documents_of_own_unit_only(login_as):
    doc = make_skt(nama_ormas="Paguyuban Tampak Di Daftar")

    for username in ("pelayanan_kbk", "kaban", "staf_kbk"):
        response = login_as(username).get(LIST_URL)
        assert response.status_code == 200, username
        assert doc.name in body(response), username
        assert "Paguyuban Tampak Di Daftar" in body(response), username

    for username in ("pelayanan_iwk", "kabid_iwk"):
        client = login_as(username)
        response = client.get(LIST_URL)
        assert response.status_code == 200, username
        assert doc.name not in body(response), username
        assert "Paguyuban Tampak Di Daftar" not in body(response), username
        response = client.get(change_url(doc))
        assert response.status_code in (302, 404), username
        if response.status_code == 302:
            assert response["Location"] != change_url(doc)
            follow = client.get(response["Location"])
            assert "Paguyuban Tampak Di Daftar" not in body(follow)


def test_changelist_query_count_does_not_grow_with_rows(login_as, django_assert_max_num_queries):
    client = login_as("pelayanan_kbk")
    make_skt(nama_ormas="Ormas Awal")
    client.get(LIST_URL)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    for i in range(12):
        make_skt(nama_ormas=f"Ormas Tambahan {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert body(response).count("Ormas Tambahan") == 12


# --- 2. the change page: buttons and timeline -------------------------------------


def test_change_page_shows_actions_as_post_forms_and_timeline(login_as):
    doc = make_skt()
    response = login_as("pelayanan_kbk").get(change_url(doc))
    assert response.status_code == 200
    html = body(response)
    assert 'id="docflow-actions"' in html
    assert 'method="post" action="../tindakan/"' in html
    assert 'data-action="Berkas Lengkap"' in html
    assert 'data-action="Kembalikan ke Pemohon"' in html
    assert f'name="expected_state" value="{doc.workflow_state}"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'id="docflow-timeline"' in html
    assert "Dibuat dengan status Menunggu Verifikasi" in html

    html = body(login_as("staf_kbk").get(change_url(doc)))
    assert 'id="docflow-actions"' not in html
    assert 'name="action"' not in html
    assert "Tidak ada tindakan yang dapat Anda lakukan pada status ini." in html
    assert "Dibuat dengan status Menunggu Verifikasi" in html


# --- 3. POST <pk>/tindakan/ ------------------------------------------------------------


def test_action_is_applied_by_post_only(login_as):
    doc = make_skt()
    client = login_as("pelayanan_kbk")

    assert client.get(action_url(doc)).status_code == 405
    assert reload(doc).workflow_state == "Menunggu Verifikasi"

    response = post_action(client, doc, "Berkas Lengkap")
    assert response.redirect_chain[-1][0].endswith(change_url(doc))
    assert reload(doc).workflow_state == "Survei Lokasi"
    html = body(response)
    assert f"Berkas Lengkap: {doc.name} kini berstatus Survei Lokasi." in html
    assert "Berkas Lengkap: Menunggu Verifikasi → Survei Lokasi" in html  # the timeline


def test_action_refused_for_wrong_role(login_as):
    doc = make_skt()
    files_before = File.objects.count()
    response = post_action(login_as("staf_kbk"), doc, "Berkas Lengkap", attachments=[pdf_upload("titipan.pdf")])
    assert "Tindakan Berkas Lengkap hanya dapat dilakukan oleh peran Petugas Pelayanan." in body(response)
    assert reload(doc).workflow_state == "Menunggu Verifikasi"
    assert not WorkflowLog.objects.filter(document_id=doc.pk, kind="transition").exists()
    # A refused action leaves no file behind, least of all attached to the document.
    assert File.objects.count() == files_before
    assert "titipan.pdf" not in body(login_as("pelayanan_kbk").get(change_url(doc)))


def test_action_of_other_unit_is_not_found(login_as):
    doc = make_skt()
    response = login_as("pelayanan_iwk").post(
        action_url(doc), {"action": "Berkas Lengkap", "expected_state": doc.workflow_state}
    )
    assert response.status_code == 404
    assert reload(doc).workflow_state == "Menunggu Verifikasi"


def test_action_refused_when_state_is_stale(login_as):
    doc = make_skt()
    client = login_as("pelayanan_kbk")
    seen = doc.workflow_state
    apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk"))  # someone else was faster
    response = post_action(client, doc, "Kembalikan ke Pemohon", expected_state=seen, comment="NPWP kurang")
    assert "Status dokumen sudah berubah menjadi Survei Lokasi sejak Anda membukanya" in body(response)
    assert reload(doc).workflow_state == "Survei Lokasi"


def test_return_to_applicant_needs_a_comment(login_as):
    doc = make_skt()
    client = login_as("pelayanan_kbk")

    response = post_action(client, doc, "Kembalikan ke Pemohon", comment="   ")
    assert "Tindakan Kembalikan ke Pemohon wajib disertai alasan atau catatan." in body(response)
    assert reload(doc).workflow_state == "Menunggu Verifikasi"

    response = post_action(client, doc, "Kembalikan ke Pemohon", comment="Surat domisili belum dilampirkan.")
    assert reload(doc).workflow_state == "Dikembalikan ke Pemohon"
    html = body(response)
    assert "kini berstatus Dikembalikan ke Pemohon" in html
    assert "Surat domisili belum dilampirkan." in html  # shown in the timeline
    log = WorkflowLog.objects.get(document_id=doc.pk, kind="transition")
    assert log.comment == "Surat domisili belum dilampirkan."


def test_survey_report_needs_a_real_pdf(login_as):
    doc = fill_survey(advance_skt(make_skt(), "Survei Lokasi"))
    client = login_as("pelayanan_kbk")

    response = post_action(client, doc, "Laporkan Hasil Survei")
    assert "Tindakan Laporkan Hasil Survei wajib disertai lampiran bukti." in body(response)
    assert reload(doc).workflow_state == "Survei Lokasi"

    disguised = SimpleUploadedFile("ba-survei.pdf", b"bukan pdf, hanya teks biasa\n", content_type="application/pdf")
    response = post_action(client, doc, "Laporkan Hasil Survei", attachments=[disguised])
    assert "bukan PDF, JPEG atau PNG" in body(response)
    assert reload(doc).workflow_state == "Survei Lokasi"
    assert not File.objects.filter(attached_to_name=doc.name).exists()

    response = post_action(client, doc, "Laporkan Hasil Survei", attachments=[pdf_upload("ba-survei.pdf")])
    assert "kini berstatus Menunggu Persetujuan" in body(response)
    doc = reload(doc)
    assert doc.workflow_state == "Menunggu Persetujuan"
    attached = File.objects.get(attached_to_name=doc.name)
    assert attached.content_type == "application/pdf"
    log = WorkflowLog.objects.get(document_id=doc.pk, action="Laporkan Hasil Survei")
    assert list(log.attachments.all()) == [attached]
    assert f"/files/{attached.pk}/" in body(client.get(change_url(doc)))


# --- 4. preview, PDFs and downloads ----------------------------------------------------


def test_print_preview_and_draft_pdf(login_as):
    doc = make_skt(nama_ormas="Paguyuban Pratinjau Cetak")
    client = login_as("pelayanan_kbk")

    response = client.get(f"{LIST_URL}{doc.pk}/cetak/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Paguyuban Pratinjau Cetak" in body(response)

    response = client.get(f"{LIST_URL}{doc.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "DRAF-" in response["Content-Disposition"]


def test_issued_pdf_is_served_after_approval(login_as):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Surat Terbit"), "SKT Terbit")
    issued = IssuedDocument.objects.get(document_id=doc.pk, doctype="Permohonan SKT")
    client = login_as("pelayanan_kbk")

    response = client.get(f"{LIST_URL}{doc.pk}/pdf/")
    assert response.status_code == 302
    assert response["Location"] == f"/terbit/{issued.pk}/"

    response = client.get(f"/terbit/{issued.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert doc.number in text
    assert "Paguyuban Surat Terbit" in text

    html = body(client.get(change_url(doc)))
    assert doc.number in html
    assert f'href="/terbit/{issued.pk}/"' in html


def test_other_unit_gets_404_on_preview_pdfs_and_files(login_as):
    doc = advance_skt(make_skt(), "SKT Terbit")
    issued = IssuedDocument.objects.get(document_id=doc.pk, doctype="Permohonan SKT")
    attachment = File.objects.get(attached_to_name=doc.name)
    urls = [
        f"{LIST_URL}{doc.pk}/cetak/",
        f"{LIST_URL}{doc.pk}/pdf/",
        f"/terbit/{issued.pk}/",
        f"/files/{attachment.pk}/",
    ]

    outsider = login_as("pelayanan_iwk")
    for url in urls:
        assert outsider.get(url).status_code == 404, url

    allowed = login_as("kaban")  # sees every unit, uploaded nothing
    for url in urls:
        response = allowed.get(url, follow=True)
        assert response.status_code == 200, url

    outsider.logout()
    response = outsider.get(f"/files/{attachment.pk}/")
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- 5. the inbox ---------------------------------------------------------------------


def test_inbox_lists_what_waits_for_the_user(login_as):
    doc = make_skt(nama_ormas="Paguyuban Kotak Masuk")

    html = body(login_as("pelayanan_kbk").get(INBOX_URL))
    assert doc.name in html
    assert "Berkas Lengkap" in html
    assert doc.name not in body(login_as("pelayanan_iwk").get(INBOX_URL))
    assert doc.name not in body(login_as("kaban").get(INBOX_URL))

    advance_skt(doc, "Menunggu Persetujuan")
    html = body(login_as("kaban").get(INBOX_URL))
    assert doc.name in html
    assert "Setujui" in html
    assert doc.name not in body(login_as("pelayanan_kbk").get(INBOX_URL))


# --- 6. reconfiguring without code -----------------------------------------------------

WORKFLOW_NAME = "Permohonan SKT"
STATE_FIELDS = (
    "idx", "state", "doc_status", "allow_edit", "sla_days", "is_final", "numbering_series", "print_format",
    "update_field", "update_value",
)  # fmt: skip
TRANSITION_FIELDS = (
    "idx", "state", "action", "next_state", "allowed", "condition", "allow_self_approval", "require_comment",
    "require_attachment", "on_behalf_of", "quorum",
)  # fmt: skip
FOREIGN_KEYS = {"allow_edit", "numbering_series", "print_format", "allowed"}


def skt_workflow():
    return Workflow.objects.get(workflow_name=WORKFLOW_NAME)


def group(name):
    return Group.objects.get(name=name).pk


def _row(obj, fields):
    row = {"id": obj.pk}
    for name in fields:
        row[name] = getattr(obj, f"{name}_id") if name in FOREIGN_KEYS else getattr(obj, name)
    return row


def workflow_rows(workflow):
    """The change form's current content: every state and transition row as the desk shows it."""
    return (
        [_row(s, STATE_FIELDS) for s in workflow.states.order_by("idx", "pk")],
        [_row(t, TRANSITION_FIELDS) for t in workflow.transitions.order_by("idx", "pk")],
    )


def workflow_post(workflow, states, transitions):
    """POST data for /app/docflow/workflow/<pk>/change/ with both inline formsets.
    Rows with an ``id`` are the existing ones (they must come first)."""
    data = {
        "workflow_name": workflow.workflow_name,
        "document_type": workflow.document_type,
        "description": workflow.description,
        "_save": "Simpan",
    }
    if workflow.is_active:
        data["is_active"] = "on"
    for prefix, rows in (("states", states), ("transitions", transitions)):
        existing = [r for r in rows if r.get("id")]
        assert rows[: len(existing)] == existing, "existing rows first"
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(existing)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-workflow"] = str(workflow.pk)
            data[f"{prefix}-{i}-id"] = str(row["id"]) if row.get("id") else ""
            for key, value in row.items():
                if key == "id":
                    continue
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{key}"] = "on"
                else:
                    data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    return data


def find(rows, **match):
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def post_workflow(client, workflow, states, transitions):
    return client.post(f"/app/docflow/workflow/{workflow.pk}/change/", workflow_post(workflow, states, transitions))


def test_unchanged_resubmit_of_workflow_form_is_accepted(login_as):
    workflow = skt_workflow()
    before = export_workflow(workflow)
    response = post_workflow(login_as("admin"), workflow, *workflow_rows(workflow))
    assert response.status_code == 302, body(response)
    assert export_workflow(skt_workflow()) == before


def test_admin_reconfigures_workflow_through_the_desk(login_as):
    admin = login_as("admin")
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)

    states.append(
        {
            "idx": len(states),
            "state": "Telaah Kepala Bidang",
            "doc_status": 0,
            "allow_edit": None,
            "sla_days": 2,
            "is_final": False,
            "numbering_series": None,
            "print_format": None,
            "update_field": "",
            "update_value": "",
        }
    )
    find(transitions, action="Laporkan Hasil Survei")["next_state"] = "Telaah Kepala Bidang"
    find(transitions, action="Arsipkan")["allowed"] = group("Petugas Pelayanan")
    transitions.append(
        {
            "idx": len(transitions),
            "state": "Telaah Kepala Bidang",
            "action": "Teruskan ke Kepala Badan",
            "next_state": "Menunggu Persetujuan",
            "allowed": group("Kepala Bidang"),
            "condition": "",
            "allow_self_approval": True,
            "require_comment": False,
            "require_attachment": False,
            "on_behalf_of": "",
            "quorum": 1,
        }
    )
    response = post_workflow(admin, workflow, states, transitions)
    assert response.status_code == 302, body(response)
    assert response["Location"] == "/app/docflow/workflow/"

    spec = export_workflow(skt_workflow())
    assert "Telaah Kepala Bidang" in [s["state"] for s in spec["states"]]
    assert {
        (t["state"], t["action"], t["next_state"], t["allowed"])
        for t in spec["transitions"]
        if t["action"] in ("Laporkan Hasil Survei", "Teruskan ke Kepala Badan", "Arsipkan")
    } == {
        ("Survei Lokasi", "Laporkan Hasil Survei", "Telaah Kepala Bidang", "Petugas Pelayanan"),
        ("Telaah Kepala Bidang", "Teruskan ke Kepala Badan", "Menunggu Persetujuan", "Kepala Bidang"),
        ("SKT Terbit", "Arsipkan", "Diarsipkan", "Petugas Pelayanan"),
    }

    # A new document follows the new path, with no code change.
    doc = fill_survey(advance_skt(make_skt(nama_ormas="Paguyuban Alur Baru"), "Survei Lokasi"))
    pelayanan = login_as("pelayanan_kbk")
    response = post_action(pelayanan, doc, "Laporkan Hasil Survei", attachments=[pdf_upload("ba-survei.pdf")])
    assert "kini berstatus Telaah Kepala Bidang" in body(response)
    doc = reload(doc)
    assert doc.workflow_state == "Telaah Kepala Bidang"
    assert 'data-action="Teruskan ke Kepala Badan"' not in body(pelayanan.get(change_url(doc)))
    response = post_action(pelayanan, doc, "Teruskan ke Kepala Badan")
    assert "hanya dapat dilakukan oleh peran Kepala Bidang" in body(response)

    assert 'data-action="Teruskan ke Kepala Badan"' not in body(login_as("kabid_iwk").get(INBOX_URL))
    kabid = login_as("kabid_kbk")
    assert doc.name in body(kabid.get(INBOX_URL))
    assert 'data-action="Teruskan ke Kepala Badan"' in body(kabid.get(change_url(doc)))
    response = post_action(kabid, doc, "Teruskan ke Kepala Badan")
    assert "kini berstatus Menunggu Persetujuan" in body(response)
    doc = reload(doc)
    assert doc.workflow_state == "Menunggu Persetujuan"

    post_action(login_as("kaban"), doc, "Setujui")
    doc = reload(doc)
    assert doc.workflow_state == "SKT Terbit"
    assert doc.number

    doc.lokasi_arsip = "Lemari 1, Rak A"
    doc.save()
    staf = login_as("staf_kbk")
    assert 'data-action="Arsipkan"' not in body(staf.get(change_url(doc)))
    response = post_action(staf, doc, "Arsipkan")
    assert "Tindakan Arsipkan hanya dapat dilakukan oleh peran Petugas Pelayanan." in body(response)
    assert reload(doc).workflow_state == "SKT Terbit"

    pelayanan = login_as("pelayanan_kbk")
    assert 'data-action="Arsipkan"' in body(pelayanan.get(change_url(doc)))
    response = post_action(pelayanan, doc, "Arsipkan")
    assert "kini berstatus Diarsipkan" in body(response)
    assert reload(doc).workflow_state == "Diarsipkan"
    assert [log.action for log in WorkflowLog.objects.filter(document_id=doc.pk, kind="transition")] == [
        "Berkas Lengkap",
        "Laporkan Hasil Survei",
        "Teruskan ke Kepala Badan",
        "Setujui",
        "Arsipkan",
    ]


def _assert_refused(client, workflow, states, transitions, *expected):
    before = export_workflow(workflow)
    response = post_workflow(client, workflow, states, transitions)
    assert response.status_code == 200
    html = body(response)
    for text in expected:
        assert text in html, text
    assert export_workflow(skt_workflow()) == before
    return html


def _new_state(name, idx, **extra):
    row = {
        "idx": idx, "state": name, "doc_status": 0, "allow_edit": None, "sla_days": None, "is_final": False,
        "numbering_series": None, "print_format": None, "update_field": "", "update_value": "",
    }  # fmt: skip
    row.update(extra)
    return row


def test_unreachable_state_is_refused(login_as):
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)
    states.append(_new_state("Status Yatim", len(states), is_final=True))
    _assert_refused(
        login_as("admin"),
        workflow,
        states,
        transitions,
        "Status Status Yatim tidak dapat dicapai dari status awal Menunggu Verifikasi.",
    )


def test_state_without_outgoing_transition_is_refused(login_as):
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)
    find(transitions, action="Laporkan Hasil Survei")["DELETE"] = True
    _assert_refused(
        login_as("admin"),
        workflow,
        states,
        transitions,
        "Status Survei Lokasi bukan status akhir tetapi tidak memiliki transisi keluar.",
        "Status Menunggu Persetujuan tidak dapat dicapai dari status awal Menunggu Verifikasi.",
    )


def test_transition_to_unknown_state_or_role_is_refused(login_as):
    admin = login_as("admin")
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)
    find(transitions, action="Tolak")["next_state"] = "Status Hantu"
    _assert_refused(
        admin,
        workflow,
        states,
        transitions,
        "Transisi Menunggu Persetujuan → Tolak → Status Hantu menyebut status Status Hantu yang tidak ada.",
    )

    states, transitions = workflow_rows(workflow)
    missing_group = (Group.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    find(transitions, action="Tolak")["allowed"] = missing_group
    html = _assert_refused(admin, workflow, states, transitions)
    assert "valid" in html.lower() or "sah" in html.lower()


def test_quorum_below_one_is_refused(login_as):
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)
    find(transitions, action="Tolak")["quorum"] = 0
    _assert_refused(login_as("admin"), workflow, states, transitions, "docflow_quorum_positive")


def test_broken_conditions_are_refused(login_as):
    admin = login_as("admin")
    workflow = skt_workflow()
    states, transitions = workflow_rows(workflow)
    find(transitions, action="Arsipkan")["condition"] = "doc.nama_ormas =="
    _assert_refused(
        admin,
        workflow,
        states,
        transitions,
        "Syarat transisi SKT Terbit → Arsipkan → Diarsipkan: syarat tidak dapat dibaca",
    )

    states, transitions = workflow_rows(workflow)
    find(transitions, action="Arsipkan")["condition"] = "doc.lokasi_arsip and doc.tidak_ada_field"
    _assert_refused(
        admin,
        workflow,
        states,
        transitions,
        "Syarat transisi SKT Terbit → Arsipkan → Diarsipkan: field tidak dikenal dalam syarat: doc.tidak_ada_field.",
    )


def test_state_in_use_cannot_be_deleted_or_renamed(login_as):
    admin = login_as("admin")
    doc = advance_skt(make_skt(), "Survei Lokasi")
    workflow = skt_workflow()

    # Renaming consistently (state and every transition) is otherwise valid.
    states, transitions = workflow_rows(workflow)
    find(states, state="Survei Lokasi")["state"] = "Peninjauan Lokasi"
    for t in transitions:
        for key in ("state", "next_state"):
            if t[key] == "Survei Lokasi":
                t[key] = "Peninjauan Lokasi"
    message = "Status Survei Lokasi masih dipakai dokumen dan tidak boleh dihapus atau diganti namanya."
    _assert_refused(admin, workflow, states, transitions, message)

    states, transitions = workflow_rows(workflow)
    find(states, state="Survei Lokasi")["DELETE"] = True
    for t in transitions:
        if "Survei Lokasi" in (t["state"], t["next_state"]):
            t["DELETE"] = True
    _assert_refused(admin, workflow, states, transitions, message)
    assert reload(doc).workflow_state == "Survei Lokasi"

    # Once no document is in it, the same rename is accepted.
    PermohonanSKT.objects.filter(pk=doc.pk).update(workflow_state="Menunggu Verifikasi")
    states, transitions = workflow_rows(workflow)
    find(states, state="Survei Lokasi")["state"] = "Peninjauan Lokasi"
    for t in transitions:
        for key in ("state", "next_state"):
            if t[key] == "Survei Lokasi":
                t[key] = "Peninjauan Lokasi"
    response = post_workflow(admin, workflow, states, transitions)
    assert response.status_code == 302, body(response)
    assert "Peninjauan Lokasi" in [s["state"] for s in export_workflow(skt_workflow())["states"]]


# --- 7. export and import ------------------------------------------------------------------


def test_workflow_export_and_reimport(login_as):
    admin = login_as("admin")
    workflow = skt_workflow()
    response = admin.get(f"/app/docflow/workflow/{workflow.pk}/ekspor/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    spec = json.loads(response.content)
    assert spec["doctype"] == "Workflow"
    assert spec["workflow_name"] == "Permohonan SKT"
    assert spec["document_type"] == "Permohonan SKT"
    assert spec["states"][0]["state"] == "Menunggu Verifikasi"
    assert {"state", "doc_status", "allow_edit"} <= set(spec["states"][0])
    setujui = next(t for t in spec["transitions"] if t["action"] == "Setujui")
    assert setujui["state"] == "Menunggu Persetujuan"
    assert setujui["next_state"] == "SKT Terbit"
    assert setujui["allowed"] == "Kepala Badan"
    assert setujui["allow_self_approval"] is False

    spec["description"] = "Diimpor ulang dari berkas ekspor."
    upload = SimpleUploadedFile("skt.json", json.dumps(spec).encode(), content_type="application/json")
    response = admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
    assert response.status_code == 200  # replacing a live workflow asks first, with the diff
    assert "Diimpor ulang dari berkas ekspor." in body(response)
    response = admin.post("/app/docflow/workflow/impor/", {"konfirmasi": "ganti"})
    workflow = skt_workflow()
    assert response.status_code == 302
    assert response["Location"] == f"/app/docflow/workflow/{workflow.pk}/change/"
    assert workflow.description == "Diimpor ulang dari berkas ekspor."
    reimported = export_workflow(workflow)
    assert reimported["states"] == spec["states"]
    assert reimported["transitions"] == spec["transitions"]
    assert "Alur kerja Permohonan SKT diimpor." in body(admin.get(response["Location"]))


def test_workflow_import_refuses_invalid_files(login_as):
    admin = login_as("admin")
    before = export_workflow(skt_workflow())

    upload = SimpleUploadedFile("rusak.json", b"{ini bukan json", content_type="application/json")
    response = admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
    assert response.status_code == 200
    assert "Berkas bukan JSON alur kerja yang sah." in body(response)

    malformed = [
        [before],  # a list, not a workflow
        dict(before, states="Menunggu Verifikasi"),
        dict(before, states=[1, 2]),
        dict(before, is_active="ya"),
        dict(before, states=[dict(before["states"][0], doc_status="draf"), *before["states"][1:]]),
    ]
    for spec in malformed:
        upload = SimpleUploadedFile("aneh.json", json.dumps(spec).encode(), content_type="application/json")
        response = admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
        assert response.status_code == 200, spec
        assert "Berkas bukan JSON alur kerja yang sah." in body(response), spec

    spec = dict(before, transitions=[*before["transitions"][:-1], dict(before["transitions"][-1], next_state="Entah")])
    upload = SimpleUploadedFile("salah.json", json.dumps(spec).encode(), content_type="application/json")
    response = admin.post("/app/docflow/workflow/impor/", {"berkas": upload})
    assert response.status_code == 200
    assert "menyebut status Entah yang tidak ada" in body(response)
    assert export_workflow(skt_workflow()) == before


# --- 8. public verification ----------------------------------------------------------------


def test_verification_page(client):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Terverifikasi"), "SKT Terbit")
    issued = IssuedDocument.objects.get(document_id=doc.pk, doctype="Permohonan SKT")

    response = client.get(f"/verifikasi/{issued.token}")
    assert response.status_code == 200
    html = body(response)
    assert doc.number in html
    assert issued.holder in html
    assert "Paguyuban Terverifikasi" in html
    assert "Dokumen ini asli" in html

    response = client.get("/verifikasi/token-yang-tidak-pernah-ada")
    assert response.status_code == 404
    assert "Kode verifikasi tidak dikenal." in body(response)


def test_an_empty_list_speaks_indonesian(login_as):
    """A process without documents yet shows Unfold's empty page in Bahasa Indonesia."""
    model = registry.get("Pembinaan Ideologi").model
    model.objects.all().delete()
    response = login_as("staf_iwk").get(f"/app/{model._meta.app_label}/{model._meta.model_name}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This page yielded" not in html and "Belum ada data di sini" in html
