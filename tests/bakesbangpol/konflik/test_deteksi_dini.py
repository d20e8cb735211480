"""P6.2 Deteksi Dini Wilayah runs every quarter (Auto Repeat, as documented
in docs/P6_KONFLIK.md) and only while the SK of the Tim Pusat Komunikasi dan
Informasi Kewaspadaan Dini is in force (the exists() condition)."""

import pytest
from django.utils import timezone

from apps.docflow import auto_repeat, registry, scenarios
from apps.docflow.exceptions import DocflowError
from apps.docflow.models import AutoRepeat
from apps.docflow.services.workflow import apply_action, document_update
from tests.conftest import user

SPEC = next(s for s in scenarios.scenarios() if s["doctype"] == "Deteksi Dini Wilayah")


def test_a_quarterly_schedule_makes_the_period_document_that_waits_for_a_sk_in_force():
    refs = scenarios.replay_requires(SPEC)
    template = scenarios.replay(SPEC, scenarios.own_documents(SPEC)[1], refs=refs).doc  # in "Rapat Koordinasi"
    start, end = auto_repeat.period_of("Quarterly", timezone.localdate())
    schedule = AutoRepeat(
        reference_doctype="Deteksi Dini Wilayah",
        reference_document=template.name,
        frequency="Quarterly",
        start_date=start,
        run_as=user("staf_iwk"),
        period_field="periode",
        period_start_field="periode_mulai",
        period_end_field="periode_selesai",
    )
    schedule.full_clean()
    schedule.save()
    run = auto_repeat.run_now(schedule, user("staf_iwk"))
    model = registry.get("Deteksi Dini Wilayah").model
    made = model.objects.get(pk=run.document_id)
    assert made.pk != template.pk and made.workflow_state == "Rapat Koordinasi"
    assert made.periode == auto_repeat.label("Quarterly", start, end) and made.periode.startswith("Triwulan ")
    assert (made.periode_mulai, made.periode_selesai) == (start, end)
    assert made.sk_tim_id == refs["sk_kominda"].pk and made.nomor_sk == refs["sk_kominda"].number
    with pytest.raises(auto_repeat.AlreadyMade):
        auto_repeat.run_now(schedule, user("staf_iwk"))

    made = document_update(doc=made, user=user("staf_iwk"), data={"hasil_rapat": "Fokus kelurahan pesisir."})
    # the SK is revoked: the period's document cannot go on until a new SK is chosen
    apply_action(doc=refs["sk_kominda"], action="Cabut", user=user("kaban"), comment="Diganti SK baru.")
    with pytest.raises(DocflowError):
        apply_action(doc=made, action="Sampaikan Hasil Rapat", user=user("staf_iwk"))
    made.refresh_from_db()
    assert made.workflow_state == "Rapat Koordinasi"

    fresh = scenarios.replay_requires(SPEC)["sk_kominda"]  # a new SK in force
    assert fresh.pk != refs["sk_kominda"].pk
    made = document_update(doc=made, user=user("staf_iwk"), data={"sk_tim": fresh})
    made = apply_action(doc=made, action="Sampaikan Hasil Rapat", user=user("staf_iwk")).doc
    assert made.workflow_state == "Rekap Potensi Konflik"
