"""Speed goal of the issue "DocTypes as data": a data-defined doctype's desk
list and API list, filtered on one of its own fields, against a code-defined
doctype's (Permohonan SKT) on as many rows, in the same run. Goal: <= 1.3x."""

import json
import urllib.parse

DOCTYPE = "Bench Permohonan Data"
KECAMATAN = ["Bugul Kidul", "Gadingrejo", "Panggungrejo", "Purworejo"]


def define_and_fill(rows: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.docflow import registry
    from apps.docflow.dynamic import definitions
    from apps.organisasi.models import Unit

    definitions.apply(
        {
            "name": DOCTYPE,
            "module": "Bench",
            "title_field": "nama_ormas",
            "fields": [
                {"fieldname": "nama_ormas", "label": "Nama Ormas", "fieldtype": "Data", "in_list_view": 1},
                {"fieldname": "kecamatan", "label": "Kecamatan", "fieldtype": "Select", "in_standard_filter": 1,
                 "options": "\n".join(KECAMATAN)},
                {"fieldname": "tanggal", "label": "Tanggal", "fieldtype": "Date", "in_standard_filter": 1},
                {"fieldname": "jumlah", "label": "Jumlah", "fieldtype": "Currency"},
            ],
            "permissions": [{"role": "Staf Bidang", "read": 1, "write": 1, "create": 1},
                            {"role": "Kepala Badan", "read": 1}, {"role": "Kepala Bidang", "read": 1}],
        }
    )  # fmt: skip
    model = registry.get(DOCTYPE).model
    start = model.objects.count()  # a reused site (--site): filled already, up to the rows asked for
    user = get_user_model().objects.get(username="staf_kbk")
    unit = Unit.objects.get(kode="BID_KBK")
    now = timezone.now()
    batch = []
    for i in range(start, rows):
        batch.append(
            model(
                name=f"BPD-{i:07d}", workflow_state="Draf", docstatus=0, unit=unit, process_code="", created_by=user,
                modified_by=user, created_at=now, state_entered_at=now, nama_ormas=f"Ormas Data {i}",
                kecamatan=KECAMATAN[i % 4], tanggal=now.date(), jumlah=i,
            )
        )  # fmt: skip
        if len(batch) == 2000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)
    return model


def goal_data_doctype(rows, *, timed_pair, report, failed, client_for, ms):
    from apps.bakesbangpol.perizinan.models import PermohonanSKT

    try:
        from django.db.models import F

        # the code doctype's rows get the same spread of kecamatan
        for i, name in enumerate(KECAMATAN):
            PermohonanSKT.objects.alias(m=F("pk") % 4).filter(m=i).update(kecamatan=name)
        model = define_and_fill(PermohonanSKT.objects.count() or rows)
    except Exception as exc:  # noqa: BLE001 - every goal prints a line
        failed("data-defined doctype: setup", exc)
        return
    meta = model._meta
    client = client_for("kaban")
    desk_data = f"/app/{meta.app_label}/{meta.model_name}/?kecamatan__exact=Gadingrejo"
    desk_code = "/app/perizinan/permohonanskt/?kecamatan__exact=Gadingrejo"
    api = "/api/resource/{}?"
    for label, data_url, code_url in (
        ("data-defined desk list, filtered on its field", desk_data, desk_code),
        (
            "data-defined API list, filtered on its field",
            api.format(urllib.parse.quote(meta.verbose_name))
            + urllib.parse.urlencode(
                {
                    "filters": json.dumps([["kecamatan", "=", "Gadingrejo"]]),
                    "fields": '["name","nama_ormas","kecamatan"]',
                }
            ),  # fmt: skip
            api.format("Permohonan%20SKT")
            + urllib.parse.urlencode(
                {
                    "filters": json.dumps([["kecamatan", "=", "Gadingrejo"]]),
                    "fields": '["name","nama_ormas","kecamatan"]',
                }
            ),  # fmt: skip
        ),
    ):
        try:
            assert client.get(data_url).status_code == 200 and client.get(code_url).status_code == 200
            value, anchor = timed_pair(lambda u=data_url: client.get(u), lambda u=code_url: client.get(u))
            report(label, ms(value), f"code doctype {ms(anchor)}", value / anchor, "<=1.3x", value / anchor <= 1.3)
        except Exception as exc:  # noqa: BLE001
            failed(label, exc)
