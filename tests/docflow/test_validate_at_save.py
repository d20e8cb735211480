"""Numbering patterns and print templates are checked when they are saved,
not when the Kepala Badan approves."""

from apps.docflow import numbering
from apps.docflow.models import NamingSeries, Workflow
from apps.docflow.services.definitions import export_workflow, validate_spec


def test_reference_series_and_workflows_pass_the_checks():
    for series in NamingSeries.objects.exclude(key__startswith="name:"):
        assert numbering.check_pattern(series.pattern, numbering.models_numbered_by(series)) is None, series.key
    for workflow in Workflow.objects.filter(is_active=True):
        assert validate_spec(export_workflow(workflow)) == [], workflow.workflow_name


def test_pattern_with_unknown_token_is_refused_at_save(login_as):
    series = NamingSeries.objects.get(key="surat-keluar")
    client = login_as("admin")
    response = client.post(
        f"/app/docflow/namingseries/{series.pk}/change/",
        {"key": series.key, "pattern": "{seq:03}/423.108/{tahun}", "reset": series.reset, "description": ""},
    )
    assert response.status_code == 200
    assert "{tahun}" in response.content.decode() and "tidak dikenal" in response.content.decode()
    series.refresh_from_db()
    assert "{tahun}" not in series.pattern
    # a new series whose field token no doctype has
    assert "{tahun_anggaran_x}" in numbering.check_pattern("{seq}/{tahun_anggaran_x}")
    assert numbering.check_pattern("{seq:03}/{MM_ROMAWI}/{YYYY}") is None
