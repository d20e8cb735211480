"""Recurring documents (Frappe's Auto Repeat): a document per period from a
template, on the period's first working day, in the schedule's unit, with the
period in its fields; missed periods made once, never twice; a scheduled run
racing a manual one makes one document."""

import datetime
import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import auto_repeat
from apps.docflow.models import AutoRepeat, AutoRepeatRun
from tests.conftest import make_skt, user

Unit = apps.get_model(settings.DOCFLOW_UNIT_MODEL)


def _schedule(template, **overrides):
    other_unit = Unit.objects.exclude(pk=template.unit_id).order_by("pk").first()
    values = dict(
        reference_doctype="Permohonan SKT",
        reference_document=template.name,
        frequency="Monthly",
        start_date=datetime.date(2027, 1, 1),
        unit=other_unit,
        run_as=user("pelayanan_kbk"),
        period_field="nomor_surat_permohonan",
        period_start_field="tanggal_surat_permohonan",
    )
    values.update(overrides)
    schedule = AutoRepeat(**values)
    schedule.full_clean()
    schedule.save()
    return schedule


def _made(schedule):
    return list(
        PermohonanSKT.objects.filter(nama_ormas=schedule.template_name)
        .exclude(pk=schedule.template_pk)
        .order_by("tanggal_surat_permohonan")
        .values_list("nomor_surat_permohonan", "tanggal_surat_permohonan", "unit_id", "workflow_state")
    )


def test_periods_in_the_working_calendar_and_missed_ones_made_once():
    template = make_skt(nama_ormas="Ormas Bulanan")
    schedule = _schedule(template)
    schedule.template_name, schedule.template_pk = template.nama_ormas, template.pk
    # 1 January 2027 is New Year's Day, then a weekend: January is due on Monday the 4th
    assert auto_repeat.run_date(datetime.date(2027, 1, 1)) == datetime.date(2027, 1, 4)
    assert auto_repeat.run_due(today=datetime.date(2027, 1, 1)) == 0
    assert auto_repeat.run_due(today=datetime.date(2027, 1, 4)) == 1
    # the scheduler stopped for three months: February to April are made, once each
    assert auto_repeat.run_due(today=datetime.date(2027, 4, 5)) == 3
    assert auto_repeat.run_due(today=datetime.date(2027, 4, 5)) == 0
    made = _made(schedule)
    assert [m[0] for m in made] == ["Januari 2027", "Februari 2027", "Maret 2027", "April 2027"]
    assert [m[1] for m in made] == [datetime.date(2027, m, 1) for m in (1, 2, 3, 4)]
    assert {m[2] for m in made} == {schedule.unit_id} != {template.unit_id}
    assert {m[3] for m in made} == {template.workflow_state}
    runs = list(schedule.runs.order_by("period_start").values_list("period_start", "trigger"))
    assert runs == [(datetime.date(2027, m, 1), "scheduled") for m in (1, 2, 3, 4)]


def test_end_date_labels_and_other_frequencies():
    template = make_skt(nama_ormas="Ormas Triwulan")
    schedule = _schedule(template, frequency="Quarterly", end_date=datetime.date(2027, 6, 30))
    assert auto_repeat.run_due(today=datetime.date(2027, 12, 31)) == 2  # Q1 and Q2, not after the end
    assert sorted(schedule.runs.values_list("period_start", "period_end")) == [
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)),
        (datetime.date(2027, 4, 1), datetime.date(2027, 6, 30)),
    ]
    assert auto_repeat.label("Quarterly", datetime.date(2027, 4, 1), None) == "Triwulan II 2027"
    assert auto_repeat.period_of("Weekly", datetime.date(2027, 1, 6)) == (
        datetime.date(2027, 1, 4),
        datetime.date(2027, 1, 10),
    )
    assert auto_repeat.period_of("Yearly", datetime.date(2027, 5, 6))[0] == datetime.date(2027, 1, 1)


def test_bad_schedules_and_a_second_manual_run_are_refused():
    template = make_skt(nama_ormas="Ormas Tolak")
    for bad in (
        {"reference_document": "TIDAK-ADA"},
        {"period_field": "tidak_ada"},
        {"period_start_field": "nama_ormas"},  # not a date
        {"end_date": datetime.date(2026, 1, 1)},  # before the start
    ):
        with pytest.raises(ValidationError):
            _schedule(template, **bad)
    with pytest.raises(ValidationError):
        _schedule(template, reference_doctype="Tidak Ada")
    assert not AutoRepeat.objects.exists()
    schedule = _schedule(template, start_date=datetime.date(2026, 1, 1))
    today = datetime.date(2027, 2, 10)
    run = auto_repeat.run_now(schedule, user("admin"), today=today)
    assert run.trigger == "manual" and run.period_start == datetime.date(2027, 2, 1)
    with pytest.raises(auto_repeat.AlreadyMade):
        auto_repeat.run_now(schedule, user("admin"), today=today)
    schedule.end_date = datetime.date(2026, 12, 31)
    with pytest.raises(ValidationError):
        auto_repeat.run_now(schedule, user("admin"), today=today)
    assert AutoRepeatRun.objects.count() == 1


def test_configured_and_run_in_the_desk(login_as):
    template = make_skt(nama_ormas="Ormas Desk")
    client = login_as("admin")
    form = {
        "reference_doctype": "Permohonan SKT",
        "reference_document": template.name,
        "frequency": "Yearly",
        "start_date": "01/01/2020",
        "run_as": user("admin").pk,
        "period_field": "nomor_surat_permohonan",
        "runs-TOTAL_FORMS": "0",
        "runs-INITIAL_FORMS": "0",
    }
    refused = client.post("/app/docflow/autorepeat/add/", {**form, "period_field": "tidak_ada"})
    assert refused.status_code == 200 and "tidak ada pada" in refused.content.decode()
    assert not AutoRepeat.objects.exists()
    response = client.post("/app/docflow/autorepeat/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = AutoRepeat.objects.get()
    response = client.post(
        "/app/docflow/autorepeat/", {"action": "make_current_period", "_selected_action": [schedule.pk]}, follow=True
    )
    run = schedule.runs.get()
    assert run.document_name in response.content.decode()
    page = client.get(f"/app/docflow/autorepeat/{schedule.pk}/change/").content.decode()
    assert run.document_name in page and "Riwayat pembuatan" in page


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_scheduled_run_racing_a_manual_one_makes_one_document():
    template = make_skt(nama_ormas="Ormas Balapan")
    schedule = _schedule(template, start_date=datetime.date(2027, 3, 1))
    today = datetime.date(2027, 3, 8)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scheduled():
        results.append(auto_repeat.run_due(today=today))

    def manual():
        results.append(auto_repeat.run_now(AutoRepeat.objects.get(pk=schedule.pk), user("admin"), today=today))

    def run(work):
        try:
            barrier.wait(timeout=30)
            work()
        except auto_repeat.AlreadyMade as exc:
            errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in (scheduled, manual)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(e, auto_repeat.AlreadyMade) for e in errors), errors
    assert AutoRepeatRun.objects.filter(schedule=schedule).count() == 1
    made = PermohonanSKT.objects.filter(nama_ormas="Ormas Balapan").exclude(pk=template.pk)
    assert list(made.values_list("nomor_surat_permohonan", flat=True)) == ["Maret 2027"]
