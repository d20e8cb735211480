"""DocTypes as data: a definition becomes a live document type (table,
registry, desk, API, workflow, print) without code; definition changes never
lose data; Frappe's DocType JSON imports."""

import datetime
import decimal
import json
import os
import uuid

import pytest
from django.db import connection

from apps.docflow import registry
from apps.docflow.dynamic import definitions
from apps.docflow.models import DocTypeDef, PrintFormat
from apps.docflow.services.definitions import import_workflow
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import pdf_text, user

# MariaDB commits DDL implicitly: its tests run in real transactions
pytestmark = [
    pytest.mark.engine,
    pytest.mark.django_db(transaction=os.environ.get("DATABASE_URL", "").startswith("mysql")),
]


def _name(base):
    return f"{base} {uuid.uuid4().hex[:6]}"


def define(base="Permohonan Audiensi"):
    child_name, name = _name("Peserta Audiensi"), _name(base)
    child = {
        "name": child_name,
        "istable": 1,
        "fields": [
            {"fieldname": "nama", "label": "Nama peserta", "fieldtype": "Data", "reqd": 1},
            {"fieldname": "jabatan", "label": "Jabatan", "fieldtype": "Data"},
        ],
    }
    parent = {
        "name": name,
        "module": "Umum",
        "autoname": "AUD-{YYYY}-{seq:04}",
        "title_field": "perihal",
        "fields": [
            {"fieldname": "perihal", "label": "Perihal", "fieldtype": "Data", "reqd": 1, "in_list_view": 1},
            {"fieldname": "tanggal", "label": "Tanggal audiensi", "fieldtype": "Date", "in_standard_filter": 1},
            {"fieldname": "unit_tujuan", "label": "Unit tujuan", "fieldtype": "Link", "options": "Unit"},
            {"fieldname": "biaya", "label": "Biaya", "fieldtype": "Currency"},
            {"fieldname": "sb1", "fieldtype": "Section Break", "label": "Tempat"},
            {"fieldname": "perlu_ruang", "label": "Perlu ruang rapat", "fieldtype": "Check"},
            {
                "fieldname": "ruang",
                "label": "Ruang",
                "fieldtype": "Data",
                "mandatory_depends_on": "eval:doc.perlu_ruang",
                "depends_on": "eval:doc.perlu_ruang",
            },
            {"fieldname": "jenis", "label": "Jenis", "fieldtype": "Select", "options": "Tatap muka\nDaring"},
            {"fieldname": "peserta", "label": "Peserta", "fieldtype": "Table", "options": child_name},
        ],
        "permissions": [
            {"role": "Staf Bidang", "read": 1, "write": 1, "create": 1},
            {"role": "Kepala Bidang", "read": 1, "submit": 1, "print": 0},
        ],
    }
    definitions.apply(child)
    definitions.apply(parent, pending={child_name: child})
    import_workflow(
        {
            "workflow_name": name,
            "document_type": name,
            "states": [
                {"state": "Draf", "doc_status": 0, "allow_edit": "Staf Bidang"},
                {"state": "Menunggu Kepala Bidang", "doc_status": 0},
                {"state": "Disetujui", "doc_status": 1, "is_final": 1, "numbering_series": None},
            ],
            "transitions": [
                {"state": "Draf", "action": "Ajukan", "next_state": "Menunggu Kepala Bidang", "allowed": "Staf Bidang"},
                {"state": "Menunggu Kepala Bidang", "action": "Setujui", "next_state": "Disetujui",
                 "allowed": "Kepala Bidang"},
                {"state": "Menunggu Kepala Bidang", "action": "Kembalikan", "next_state": "Draf",
                 "allowed": "Kepala Bidang", "require_comment": 1},
            ],
        }
    )  # fmt: skip
    return registry.get(name)


def test_definition_builds_a_live_doctype_with_real_typed_columns():
    info = define()
    assert info.data_defined and info.children
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert info.model._meta.db_table in tables
    doc = document_create(
        model=info.model,
        user=user("staf_kbk"),
        data={"perihal": "Audiensi Ormas", "tanggal": "2026-12-10", "biaya": "1500000.50",
              "peserta": [{"nama": "Budi", "jabatan": "Ketua"}, {"nama": "Sari"}]},
    )  # fmt: skip
    doc.refresh_from_db()
    assert doc.name.startswith("AUD-") and doc.workflow_state == "Draf"
    assert doc.tanggal == datetime.date(2026, 12, 10)
    assert doc.biaya == decimal.Decimal("1500000.50")
    assert [r.nama for r in doc.peserta.all()] == ["Budi", "Sari"]
    assert info.model.history.filter(id=doc.pk).exists()  # audit history like code doctypes


def test_workflow_steps_and_visibility_apply_to_a_data_defined_doctype():
    info = define()
    doc = document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "Audiensi"})
    apply_action(doc=doc, action="Ajukan", user=user("staf_kbk"))
    with pytest.raises(Exception):  # another unit's head: not theirs
        apply_action(doc=info.model.objects.get(pk=doc.pk), action="Setujui", user=user("kabid_iwk"))
    with pytest.raises(Exception):  # a return needs a reason
        apply_action(doc=info.model.objects.get(pk=doc.pk), action="Kembalikan", user=user("kabid_kbk"))
    result = apply_action(doc=info.model.objects.get(pk=doc.pk), action="Setujui", user=user("kabid_kbk"))
    assert result.doc.workflow_state == "Disetujui" and result.doc.docstatus == 1
    from apps.docflow.selectors import visible_documents

    assert not visible_documents(info.model, user("staf_iwk")).filter(pk=doc.pk).exists()
    assert visible_documents(info.model, user("kabid_kbk")).filter(pk=doc.pk).exists()


def test_docperm_submit_and_print_rights_are_enforced(client):
    from apps.docflow.models import DocPermDef

    info = define()
    doc = document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "Audiensi"})
    apply_action(doc=doc, action="Ajukan", user=user("staf_kbk"))
    DocPermDef.objects.filter(doctype__name=info.doctype, role__name="Kepala Bidang").update(submit=False)
    definitions.definition_saved(DocTypeDef.objects.get(name=info.doctype))
    info = registry.get(info.doctype)
    with pytest.raises(Exception) as exc:
        apply_action(doc=info.model.objects.get(pk=doc.pk), action="Setujui", user=user("kabid_kbk"))
    assert "tidak berwenang mengajukan" in str(exc.value)
    assert info.model.objects.get(pk=doc.pk).workflow_state == "Menunggu Kepala Bidang"
    PrintFormat.objects.create(name=f"Cetak {info.doctype}", doc_type=info.doctype, html="<p>{{ doc.name }}</p>")
    client.force_login(user("kabid_kbk"))  # may read, may not print
    meta = info.model._meta
    assert client.get(f"/app/{meta.app_label}/{meta.model_name}/{doc.pk}/pdf/").status_code == 403
    assert client.get("/api/method/frappe.utils.print_format.download_pdf",
                      {"doctype": info.doctype, "name": doc.name}).status_code == 403  # fmt: skip
    client.force_login(user("staf_kbk"))  # print defaults to allowed
    assert client.get(f"/app/{meta.app_label}/{meta.model_name}/{doc.pk}/pdf/").status_code == 200
    # export: the desk list's Excel action, for a role with the export right only
    changelist = f"/app/{meta.app_label}/{meta.model_name}/"
    exported = client.post(changelist, {"action": "export_xlsx", "_selected_action": [doc.pk]})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxml")
    DocPermDef.objects.filter(doctype__name=info.doctype, role__name="Staf Bidang").update(export=False)
    definitions.definition_saved(DocTypeDef.objects.get(name=info.doctype))
    assert client.post(changelist, {"action": "export_xlsx", "_selected_action": [doc.pk]}).status_code == 403


def test_a_new_doctype_works_at_once_with_a_default_workflow(client):
    name = _name("Buku Tamu")
    definitions.apply(
        {"name": name, "fields": [{"fieldname": "tamu", "fieldtype": "Data", "label": "Tamu", "reqd": 1}],
         "permissions": [{"role": "Staf Bidang", "read": 1, "write": 1, "create": 1},
                         {"role": "Kepala Bidang", "read": 1, "submit": 1}]}
    )  # fmt: skip
    client.force_login(user("staf_kbk"))
    response = client.post(f"/api/resource/{name}", json.dumps({"tamu": "Pak RT"}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["workflow_state"] == "Draf"
    doc = registry.get(name).model.objects.get()
    result = apply_action(doc=doc, action="Ajukan", user=user("kabid_kbk"))
    assert result.doc.docstatus == 1


def test_inbox_pending_report_and_frappe_client_calls_see_a_data_defined_doctype(client):
    from apps.docflow.selectors import inbox_for_user
    from apps.laporan.selectors import pending_per_unit

    info = define()
    doc = document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "Audiensi"})
    apply_action(doc=doc, action="Ajukan", user=user("staf_kbk"))
    waiting = [row[1].name for row in inbox_for_user(user("kabid_kbk")) if row[0].doctype == info.doctype]
    assert waiting == [doc.name]
    rows = [r for r in pending_per_unit(user("kabid_kbk")) if r.doctype == info.doctype]
    assert [(r.state, r.count) for r in rows] == [("Menunggu Kepala Bidang", 1)]
    # no DocPerm row for the Kepala Badan on this doctype: not in his reports (Frappe's report right)
    assert not [r for r in pending_per_unit(user("kaban")) if r.doctype == info.doctype]
    client.force_login(user("staf_kbk"))  # frappe-js-sdk: db.getDocList / getCount / getDoc
    listed = client.get("/api/method/frappe.client.get_list",
                        {"doctype": info.doctype, "fields": '["name","perihal"]'}).json()["message"]  # fmt: skip
    assert listed == [{"name": doc.name, "perihal": "Audiensi"}]
    count = client.get("/api/method/frappe.client.get_count", {"doctype": info.doctype}).json()["message"]
    assert count == 1
    got = client.get("/api/method/frappe.client.get", {"doctype": info.doctype, "name": doc.name}).json()["message"]
    assert got["perihal"] == "Audiensi" and got["peserta"] == []


def test_mandatory_depends_on_and_required_fields_refuse_with_indonesian_messages():
    info = define()
    with pytest.raises(Exception) as exc:
        document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "", "perlu_ruang": True})
    text = str(exc.value)
    assert "Perihal wajib diisi" in text and "Ruang wajib diisi" in text
    assert not info.model.objects.exists()
    with pytest.raises(Exception) as exc:
        document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "x", "peserta": [{"jabatan": "y"}]})
    assert "Baris 1" in str(exc.value)
    assert not info.model.objects.exists()  # nothing half-saved


def test_removing_renaming_and_retyping_fields_keep_the_values():
    info = define()
    doc = document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "Audiensi", "jenis": "Daring"})
    spec = definitions.export(DocTypeDef.objects.get(name=info.doctype))
    fields = [f for f in spec["fields"] if f["fieldname"] != "jenis"]  # removed
    for f in fields:
        if f["fieldname"] == "perihal":
            f["fieldname"] = "pokok_perihal"  # renamed
    spec["fields"], spec["title_field"] = fields, "pokok_perihal"
    definitions.apply(spec)
    model = registry.get(info.doctype).model
    assert model.objects.get(pk=doc.pk).pokok_perihal == "Audiensi"
    assert not hasattr(model.objects.get(pk=doc.pk), "jenis")
    fields.append({"fieldname": "jenis", "fieldtype": "Select", "label": "Jenis", "options": "Tatap muka\nDaring"})
    definitions.apply(spec)  # brought back: the kept values return
    assert registry.get(info.doctype).model.objects.get(pk=doc.pk).jenis == "Daring"
    # a type change whose values do not convert is refused, naming the field
    for f in fields:
        if f["fieldname"] == "jenis":
            f["fieldtype"] = "Int"
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.apply(spec)
    assert "jenis" in str(exc.value) and "Daring" in str(exc.value)
    # a text holding numbers becomes an Int with its values
    document_update(doc=registry.get(info.doctype).model.objects.get(pk=doc.pk), user=user("staf_kbk"),
                    data={"jenis": "Tatap muka"})  # fmt: skip
    spec2 = definitions.export(DocTypeDef.objects.get(name=info.doctype))
    spec2["fields"].append({"fieldname": "jumlah", "fieldtype": "Data", "label": "Jumlah"})
    definitions.apply(spec2)
    document_update(doc=registry.get(info.doctype).model.objects.get(pk=doc.pk), user=user("staf_kbk"),
                    data={"jumlah": "42"})  # fmt: skip
    for f in spec2["fields"]:
        if f["fieldname"] == "jumlah":
            f["fieldtype"] = "Int"
    definitions.apply(spec2)
    assert registry.get(info.doctype).model.objects.get(pk=doc.pk).jumlah == 42


@pytest.mark.parametrize(
    "field, message",
    [
        ({"fieldname": "name", "fieldtype": "Data"}, "dipakai oleh sistem"),
        ({"fieldname": "pilih", "fieldtype": "Select", "options": ""}, "harus punya opsi"),
        ({"fieldname": "ke", "fieldtype": "Link", "options": "Tidak Ada"}, "tidak dikenal"),
        ({"fieldname": "x", "fieldtype": "Data", "depends_on": "eval:doc.__class__"}, "depends_on"),
        ({"fieldname": "y", "fieldtype": "Barcode"}, "tidak dikenal"),
        ({"fieldname": "t", "fieldtype": "Table", "options": "Unit"}, "tabel anak"),
    ],
)
def test_invalid_definitions_are_refused_with_the_field_named(field, message):
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.apply({"name": _name("Uji"), "fields": [field]})
    assert message in str(exc.value) and field["fieldname"] in str(exc.value)
    assert not DocTypeDef.objects.filter(name__startswith="Uji").exists()


def test_api_creates_lists_filters_and_reads_child_rows(client):
    info = define()
    client.force_login(user("staf_kbk"))
    url = f"/api/resource/{info.doctype}"
    body = {"perihal": "Audiensi A", "tanggal": "2026-12-10", "peserta": [{"nama": "Budi"}]}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["peserta"][0]["nama"] == "Budi" and data["peserta"][0]["parenttype"] == info.doctype
    client.post(
        url, data=json.dumps({"perihal": "Audiensi B", "tanggal": "2027-01-05"}), content_type="application/json"
    )
    listed = client.get(url, {"filters": json.dumps([["tanggal", ">=", "2027-01-01"]]), "fields": '["name","perihal"]'})
    assert [r["perihal"] for r in listed.json()["data"]] == ["Audiensi B"]
    bad = client.post(url, data=json.dumps({"perihal": "C", "tanggal": "besok"}), content_type="application/json")
    assert bad.status_code == 417
    assert info.model.objects.count() == 2


def test_desk_list_and_forms_render_for_a_data_defined_doctype(client):
    info = define()
    doc = document_create(model=info.model, user=user("staf_kbk"), data={"perihal": "Audiensi"})
    client.force_login(user("staf_kbk"))
    meta = info.model._meta
    base = f"/app/{meta.app_label}/{meta.model_name}/"
    listing = client.get(base)
    assert listing.status_code == 200 and "Audiensi" in listing.content.decode()
    add = client.get(base + "add/")
    assert add.status_code == 200 and "data-docflow-rule" in add.content.decode()
    change = client.get(f"{base}{doc.pk}/change/")
    assert change.status_code == 200 and "Peserta" in change.content.decode()
    client.force_login(user("staf_iwk"))
    assert client.get(f"{base}{doc.pk}/change/").status_code == 404  # another unit's document


def test_print_format_sees_fields_and_child_rows():
    from apps.docflow import printing

    info = define()
    PrintFormat.objects.create(
        name=f"Surat {info.doctype}",
        doc_type=info.doctype,
        html="<p>{{ doc.name }} {{ doc.perihal }}</p><ol>{% for p in peserta %}<li>{{ p.nama }}</li>{% endfor %}</ol>",
        is_default=True,
    )
    doc = document_create(
        model=info.model, user=user("staf_kbk"),
        data={"perihal": "Audiensi PDF", "peserta": [{"nama": "Budi Santoso"}, {"nama": "Sari Dewi"}]},
    )  # fmt: skip
    pf = printing.default_format(info.doctype)
    text = pdf_text(printing.render_pdf(pf, printing.build_context(doc), {"Title": doc.name}))
    assert doc.name in text and "Audiensi PDF" in text and "Budi Santoso" in text and "Sari Dewi" in text


def test_frappe_doctype_json_imports_through_the_api_and_exports_back(client):
    client.force_login(user("admin"))
    child = {
        "doctype": "DocType", "name": _name("Rincian Kegiatan"), "module": "Custom", "istable": 1, "custom": 1,
        "fields": [{"fieldname": "uraian", "fieldtype": "Data", "label": "Uraian", "reqd": 1, "in_list_view": 1},
                   {"fieldname": "jumlah", "fieldtype": "Currency", "label": "Jumlah"}],
    }  # fmt: skip
    parent = {
        "doctype": "DocType", "name": _name("Kegiatan Frappe"), "module": "Custom", "autoname": "format:KGT-{YYYY}-{####}",
        "title_field": "judul", "is_submittable": 0,
        "fields": [{"fieldname": "judul", "fieldtype": "Data", "label": "Judul", "reqd": 1},
                   {"fieldname": "mulai", "fieldtype": "Date", "label": "Mulai"},
                   {"fieldname": "rincian", "fieldtype": "Table", "label": "Rincian", "options": child["name"]}],
        "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1},
                        {"role": "All", "read": 1, "write": 1, "create": 1}],
    }  # fmt: skip
    assert client.post("/api/resource/DocType", json.dumps(child), content_type="application/json").status_code == 200
    response = client.post("/api/resource/DocType", json.dumps(parent), content_type="application/json")
    assert response.status_code == 200, response.content
    exported = client.get(f"/api/resource/DocType/{parent['name']}").json()["data"]
    assert exported["autoname"] == "KGT-{YYYY}-{seq:04}"
    assert [f["fieldname"] for f in exported["fields"]] == ["judul", "mulai", "rincian"]
    assert {p["role"] for p in exported["permissions"]} == {"Administrator Sistem", "Pegawai"}
    # documents of the imported doctype, with their child rows, through the API and frappe.client
    client.force_login(user("staf_kbk"))  # a Pegawai: "All" may read, write and create
    body = {"judul": "Rapat koordinasi", "mulai": "2027-01-04", "rincian": [{"uraian": "Konsumsi", "jumlah": 750000}]}
    created = client.post(f"/api/resource/{parent['name']}", json.dumps(body), content_type="application/json")
    assert created.status_code == 200, created.content
    assert created.json()["data"]["rincian"][0]["jumlah"] == 750000
    listed = client.get("/api/method/frappe.client.get_list",
                        {"doctype": parent["name"], "fields": '["name","judul"]',
                         "filters": json.dumps({"mulai": "2027-01-04"})}).json()["message"]  # fmt: skip
    assert [r["judul"] for r in listed] == ["Rapat koordinasi"]
    client.force_login(user("admin"))
    # unknown field types and Link targets: 417 naming the field, unless imported as Data
    odd = {"name": _name("Aneh"), "fields": [{"fieldname": "kode", "fieldtype": "Barcode"},
                                             {"fieldname": "mitra", "fieldtype": "Link", "options": "Supplier"}]}  # fmt: skip
    refused = client.post("/api/resource/DocType", json.dumps(odd), content_type="application/json")
    assert refused.status_code == 417 and "kode" in refused.json()["message"] and "mitra" in refused.json()["message"]
    accepted = client.post(
        "/api/resource/DocType?import_unknown_as_data=1", json.dumps(odd), content_type="application/json"
    )
    assert accepted.status_code == 200
    assert {f["fieldtype"] for f in accepted.json()["data"]["fields"]} == {"Data"}
    # a staff member may not define doctypes
    client.force_login(user("staf_kbk"))
    assert client.post("/api/resource/DocType", json.dumps(odd), content_type="application/json").status_code == 403


def test_desk_builder_saves_a_definition_and_refuses_a_bad_one(client):
    client.force_login(user("admin"))
    name = _name("Buku Tamu")
    form = {
        "name": name, "module": "Umum", "process_code": "", "description": "", "autoname": "", "title_field": "",
        "holder_field": "", "search_fields": "", "sort_field": "", "sort_order": "DESC", "is_submittable": "on",
        "track_changes": "on", "owner_unit": "", "validate_hook": "",
        "fields-TOTAL_FORMS": "2", "fields-INITIAL_FORMS": "0", "fields-MIN_NUM_FORMS": "0", "fields-MAX_NUM_FORMS": "1000",
        "fields-0-fieldname": "tamu", "fields-0-label": "Nama tamu", "fields-0-fieldtype": "Data", "fields-0-reqd": "on",
        "fields-0-idx": "1", "fields-0-permlevel": "0",
        "fields-1-fieldname": "datang", "fields-1-label": "Datang", "fields-1-fieldtype": "Datetime", "fields-1-idx": "2",
        "fields-1-permlevel": "0",
        "permissions-TOTAL_FORMS": "0", "permissions-INITIAL_FORMS": "0", "permissions-MIN_NUM_FORMS": "0",
        "permissions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = client.post("/app/docflow/doctypedef/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert registry.get(name).model.objects.count() == 0
    defn = DocTypeDef.objects.get(name=name)
    history = client.get(f"/app/docflow/doctypedef/{defn.pk}/ekspor-riwayat/").json()
    assert {c["kind"] for c in history["changes"]} >= {"DocType", "DocField"}
    assert {c["values"].get("fieldname") for c in history["changes"] if c["kind"] == "DocField"} == {"tamu", "datang"}
    assert all(c["user"] == "admin" for c in history["changes"])
    bad = {**form, "name": _name("Buku Rusak"), "fields-1-fieldname": "tamu"}
    response = client.post("/app/docflow/doctypedef/add/", bad)
    assert response.status_code == 200 and "ganda" in response.content.decode()
    assert not DocTypeDef.objects.filter(name=bad["name"]).exists()


# --- Customize Form on a code-defined doctype ---------------------------------------------


def customize_skt():
    from apps.docflow.dynamic import runtime
    from apps.docflow.models import CustomField, PropertySetter

    CustomField.objects.create(dt="Permohonan SKT", fieldname="nomor_whatsapp", label="Nomor WhatsApp",
                               fieldtype="Data", insert_after="telepon", in_list_view=True)  # fmt: skip
    CustomField.objects.create(dt="Permohonan SKT", fieldname="tanggal_rapat", label="Tanggal rapat pengurus",
                               fieldtype="Date")  # fmt: skip
    PropertySetter.objects.create(doc_type="Permohonan SKT", field_name="singkatan", property="label",
                                  value="Akronim Ormas")  # fmt: skip
    runtime.definitions_changed()


def test_custom_fields_on_a_code_doctype_in_form_api_print_and_conditions(client):
    from apps.docflow import conditions, printing
    from apps.docflow.models import PrintFormat
    from tests.conftest import skt_data

    customize_skt()
    client.force_login(user("pelayanan_kbk"))
    page = client.get("/app/perizinan/permohonanskt/add/").content.decode()
    assert "Nomor WhatsApp" in page and "Akronim Ormas" in page
    body = {**skt_data(), "nomor_whatsapp": "081234567890", "tanggal_rapat": "2026-11-30"}
    body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in body.items()}
    response = client.post("/api/resource/Permohonan SKT", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["nomor_whatsapp"] == "081234567890" and data["tanggal_rapat"] == "2026-11-30"
    bad = client.post("/api/resource/Permohonan SKT", json.dumps({**body, "tanggal_rapat": "besok"}),
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 417
    listed = client.get(
        "/api/resource/Permohonan SKT",
        {"filters": json.dumps([["tanggal_rapat", ">=", "2026-11-01"]]), "fields": '["name","tanggal_rapat"]'},
    ).json()["data"]
    assert [r["name"] for r in listed] == [data["name"]] and listed[0]["tanggal_rapat"] == "2026-11-30"
    from apps.bakesbangpol.perizinan.models import PermohonanSKT

    doc = PermohonanSKT.objects.get(name=data["name"])
    assert conditions.check_condition("doc.tanggal_rapat and doc.nomor_whatsapp", PermohonanSKT) is None
    assert conditions.evaluate("doc.tanggal_rapat.year == 2026", doc)
    pf = PrintFormat.objects.create(name="Uji WA", doc_type="Permohonan SKT", html="<p>WA {{ doc.nomor_whatsapp }}</p>")
    assert "081234567890" in pdf_text(printing.render_pdf(pf, printing.build_context(doc), {"Title": "x"}))
    listing = client.get("/app/perizinan/permohonanskt/").content.decode()
    assert "081234567890" in listing


def test_a_custom_field_that_clashes_or_is_malformed_is_refused_in_the_desk(client):
    from apps.docflow.models import CustomField

    client.force_login(user("admin"))
    form = {"dt": "Permohonan SKT", "fieldname": "nama_ormas", "label": "x", "fieldtype": "Data", "idx": "0"}
    response = client.post("/app/docflow/customfield/add/", form)
    assert response.status_code == 200 and "sudah ada" in response.content.decode()
    response = client.post("/app/docflow/customfield/add/", {**form, "fieldname": "pilihan", "fieldtype": "Select"})
    assert response.status_code == 200 and "opsi" in response.content.decode()
    assert not CustomField.objects.exists()


def test_reference_files_load_and_keep_desk_edits(tmp_path, monkeypatch):
    name = _name("Referensi Uji")
    folder = tmp_path / "doctype" / "referensi_uji"
    folder.mkdir(parents=True)
    path = folder / "referensi_uji.json"
    spec = {"doctype": "DocType", "name": name, "module": "Uji",
            "fields": [{"fieldname": "judul", "fieldtype": "Data", "label": "Judul"}]}  # fmt: skip
    path.write_text(json.dumps(spec))
    monkeypatch.setattr(definitions, "reference_files", lambda: [path])
    assert any(name in line for line in definitions.sync_files())
    assert registry.get(name).data_defined
    spec["fields"][0]["label"] = "Judul kegiatan"  # a new release of the file: loaded
    path.write_text(json.dumps(spec))
    definitions.sync_files()
    assert DocTypeDef.objects.get(name=name).fields.get(fieldname="judul").label == "Judul kegiatan"
    edited = definitions.export(DocTypeDef.objects.get(name=name))  # the administrator edits it in the desk
    edited["fields"][0]["label"] = "Judul menurut admin"
    definitions.apply(edited)
    spec["fields"][0]["label"] = "Judul rilis berikutnya"
    path.write_text(json.dumps(spec))
    assert any("dibiarkan" in line for line in definitions.sync_files())
    assert DocTypeDef.objects.get(name=name).fields.get(fieldname="judul").label == "Judul menurut admin"


def test_reference_files_load_in_one_batch_with_one_rebuild_or_not_at_all(tmp_path, monkeypatch):
    """Loading many files rebuilds the models once; a bad file among them
    leaves no definition of the batch behind."""
    from apps.docflow.dynamic import runtime
    from apps.docflow.models import Workflow

    child, parent = _name("Rincian Uji"), _name("Induk Uji")
    specs = [
        {"name": parent, "module": "Uji",
         "fields": [{"fieldname": "judul", "fieldtype": "Data", "label": "Judul", "reqd": 1},
                    {"fieldname": "rincian", "fieldtype": "Table", "label": "Rincian", "options": child}],
         "permissions": [{"role": "Staf Bidang", "read": 1, "write": 1, "create": 1}]},
        {"name": child, "istable": 1, "fields": [{"fieldname": "uraian", "fieldtype": "Data", "label": "Uraian"}]},
    ]  # fmt: skip
    paths = []
    for n, spec in enumerate(specs):
        paths.append(tmp_path / f"{n}.json")
        paths[-1].write_text(json.dumps(spec))
    monkeypatch.setattr(definitions, "reference_files", lambda: paths)
    runtime.ensure_current()
    installs = []
    original = runtime._install
    monkeypatch.setattr(runtime, "_install", lambda defs: installs.append(len(defs)) or original(defs))
    log = definitions.sync_files()
    assert len(installs) == 1 and sum(name in line for line in log for name in (child, parent)) == 2
    assert Workflow.objects.filter(document_type=parent).exists()  # the default one, made after the rebuild
    doc = document_create(model=registry.get(parent).model, user=user("staf_kbk"),
                          data={"judul": "Rapat", "rincian": [{"uraian": "Satu"}, {"uraian": "Dua"}]})  # fmt: skip
    assert [r.uraian for r in registry.get(parent).children["rincian"].objects.filter(parent=doc)] == ["Satu", "Dua"]

    broken = {"name": _name("Rusak Uji"), "fields": [{"fieldname": "x", "fieldtype": "Tidak Ada", "label": "X"}]}
    fine = {"name": _name("Baik Uji"), "fields": [{"fieldname": "y", "fieldtype": "Data", "label": "Y"}]}
    paths[:] = [tmp_path / "baik.json", tmp_path / "rusak.json"]
    paths[0].write_text(json.dumps(fine))
    paths[1].write_text(json.dumps(broken))
    with pytest.raises(definitions.DefinitionError):
        definitions.sync_files()
    assert not DocTypeDef.objects.filter(name__in=[fine["name"], broken["name"]]).exists()


def test_webhooks_and_recurring_documents_serve_a_data_defined_doctype(django_capture_on_commit_callbacks):
    from apps.docflow import auto_repeat
    from apps.docflow.models import AutoRepeat, Webhook
    from tests.docflow.receiver import Receiver

    info = define()
    template = document_create(
        model=info.model, user=user("staf_kbk"),
        data={"perihal": "Rapat bulanan", "peserta": [{"nama": "Budi", "jabatan": "Ketua"}]},
    )  # fmt: skip
    with Receiver() as rx:
        Webhook.objects.create(
            name="Kait audiensi", webhook_doctype=info.doctype, webhook_docevent="after_insert",
            request_url=f"{rx.url}/masuk",
            request_structure="JSON", enabled=True,
        )  # fmt: skip
        schedule = AutoRepeat(
            reference_doctype=info.doctype, reference_document=template.name, frequency="Monthly",
            start_date=datetime.date(2027, 1, 1), run_as=user("staf_kbk"), period_start_field="tanggal",
        )  # fmt: skip
        schedule.full_clean()
        schedule.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert auto_repeat.run_due(today=datetime.date(2027, 2, 1)) == 2  # January and February, once each
            assert auto_repeat.run_due(today=datetime.date(2027, 2, 1)) == 0
    made = list(info.model.objects.exclude(pk=template.pk).order_by("tanggal"))
    assert [d.tanggal for d in made] == [datetime.date(2027, 1, 1), datetime.date(2027, 2, 1)]
    assert all([r.nama for r in d.peserta.all()] == ["Budi"] for d in made)  # child rows copied
    assert sorted(json.loads(r["body"])["name"] for r in rx.requests) == sorted(d.name for d in made)


def test_link_dropdowns_in_child_rows_and_custom_fields_list_only_visible_documents(client):
    from apps.docflow.dynamic import runtime
    from apps.docflow.models import CustomField
    from tests.conftest import make_skt

    hidden = make_skt(nama_ormas="Ormas Rahasia KBK")  # Bidang KBK's: not for staf_iwk
    child, parent = _name("Rujukan SKT"), _name("Kajian SKT")
    child_spec = {
        "name": child,
        "istable": 1,
        "fields": [{"fieldname": "skt", "fieldtype": "Link", "options": "Permohonan SKT", "label": "SKT"}],
    }
    definitions.apply(child_spec)
    definitions.apply(
        {"name": parent, "fields": [{"fieldname": "judul", "fieldtype": "Data"},
                                    {"fieldname": "rujukan", "fieldtype": "Table", "options": child}],
         "permissions": [{"role": "Staf Bidang", "read": 1, "write": 1, "create": 1}]},
        pending={child: child_spec},
    )  # fmt: skip
    CustomField.objects.create(dt="Permohonan Izin Penelitian", fieldname="skt_terkait", label="SKT terkait",
                               fieldtype="Link", options="Permohonan SKT")  # fmt: skip
    runtime.definitions_changed()
    meta = registry.get(parent).model._meta
    client.force_login(user("staf_iwk"))
    page = client.get(f"/app/{meta.app_label}/{meta.model_name}/add/").content.decode()
    assert 'name="rujukan-__prefix__-skt"' in page and hidden.name not in page
    page = client.get("/app/perizinan/permohonanizinpenelitian/add/").content.decode()
    assert 'name="skt_terkait"' in page and hidden.name not in page
    client.force_login(user("pelayanan_kbk"))  # the owning unit does see it
    assert hidden.name in client.get("/app/perizinan/permohonanizinpenelitian/add/").content.decode()


def test_a_field_added_to_a_child_table_reaches_the_rows_of_its_parents():
    """A child table's rows live in each parent's own table: saving the child
    definition adds the column there."""
    info = define()
    parent = DocTypeDef.objects.get(name=info.doctype)
    child = parent.fields.get(fieldname="peserta").options
    spec = definitions.export(DocTypeDef.objects.get(name=child))
    spec["fields"].append({"fieldname": "instansi", "label": "Instansi", "fieldtype": "Data"})
    definitions.apply(spec)
    info = registry.get(info.doctype)
    doc = document_create(
        model=info.model,
        user=user("staf_kbk"),
        data={"perihal": "Audiensi", "peserta": [{"nama": "A", "instansi": "KPU"}]},
    )
    assert info.children["peserta"].objects.get(parent=doc).instansi == "KPU"
