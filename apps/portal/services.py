"""The public side of the services: applying, resubmitting after a return,
and telling the applicant what happened. The portal acts in the workflow as
the system account ``portal`` with the role Pemohon."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from apps.docflow import jobs, registry
from apps.docflow.models import IssuedDocument, WorkflowLog
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create, load_workflow

from .layanan import LAYANAN
from .models import Pengajuan

log = logging.getLogger(__name__)
PORTAL_USERNAME = "portal"


def portal_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=PORTAL_USERNAME, defaults={"first_name": "Portal", "last_name": "Publik", "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    group, _created = Group.objects.get_or_create(name="Pemohon")
    user.groups.add(group)
    return user


@transaction.atomic
def pengajuan_buat(*, layanan: str, data: dict, files: dict, email: str = "") -> Pengajuan:
    """Create the document in its workflow's first state, attach the files,
    give the applicant a tracking code."""
    spec = LAYANAN[layanan]
    info = registry.get(spec.doctype)
    user = portal_user()
    doc = document_create(model=info.model, user=user, data=data)
    for key, uploaded in files.items():
        if uploaded:
            uploaded.name = f"{key}-{uploaded.name}"  # staff see which requirement a file answers
            file_create(uploaded=uploaded, user=user, doctype=info.doctype, name=doc.name)
    pengajuan = Pengajuan.objects.create(
        layanan=layanan, doctype=info.doctype, document_id=doc.pk, document_name=doc.name, email=email
    )
    if email:
        _mail_received(pengajuan, spec)  # a job in this transaction: sent after commit
    return pengajuan


def pengajuan_document(pengajuan: Pengajuan):
    return registry.get(pengajuan.doctype).model.objects.get(pk=pengajuan.document_id)


@transaction.atomic
def pengajuan_ajukan_ulang(*, pengajuan: Pengajuan, files: dict, catatan: str = ""):
    """The applicant sends the missing documents; the application goes back to the officers."""
    doc = pengajuan_document(pengajuan)
    user = portal_user()
    attached = [
        file_create(uploaded=uploaded, user=user, doctype=pengajuan.doctype, name=doc.name)
        for uploaded in files.values()
        if uploaded
    ]
    return apply_action(
        doc=doc,
        action=LAYANAN[pengajuan.layanan].resubmit_action,
        user=user,
        comment=catatan,
        attachments=attached,
        expected_state=LAYANAN[pengajuan.layanan].returned_state,
    )


def public_steps(pengajuan: Pengajuan) -> list[dict]:
    """The application's history as the public may see it: states and dates,
    the reason of a return, no internal notes and no staff names."""
    spec = LAYANAN[pengajuan.layanan]
    steps = []
    logs = WorkflowLog.objects.filter(doctype=pengajuan.doctype, document_id=pengajuan.document_id).order_by(
        "created_at", "pk"
    )
    for entry in logs:
        if entry.kind in WorkflowLog.NOTE_KINDS:
            continue  # internal: committee votes, requests between units
        steps.append(
            {
                "at": entry.created_at,
                "state": entry.to_state,
                "reason": entry.comment if entry.to_state == spec.returned_state else "",
                "by_applicant": entry.action == spec.resubmit_action,
            }
        )
    return steps


def issued_for(pengajuan: Pengajuan):
    return IssuedDocument.objects.filter(doctype=pengajuan.doctype, document_id=pengajuan.document_id).order_by(
        "-issued_at"
    )


def service_days(spec) -> int:
    """Service time in working days, from the SLA the administrator set on the states."""
    try:
        loaded = load_workflow(spec.doctype)
    except Exception:  # noqa: BLE001 - a missing workflow shows no figure
        return 0
    return sum(loaded.states[s].sla_days or 0 for s in spec.sla_path if s in loaded.states)


def _mail_received(pengajuan, spec):
    _send(
        pengajuan,
        _("Permohonan %(layanan)s diterima: %(kode)s") % {"layanan": spec.title, "kode": pengajuan.kode},
        _(
            "Permohonan Anda telah kami terima dengan nomor registrasi %(name)s.\n"
            "Kode pelacakan: %(kode)s\nPantau statusnya di %(url)s\n"
        )
        % {"name": pengajuan.document_name, "kode": pengajuan.kode, "url": _track_url(pengajuan)},
    )


def _track_url(pengajuan) -> str:
    from apps.docflow.siteurl import site_url

    return f"{site_url()}/lacak/{pengajuan.kode}/"


def notify_applicant(doc, log_entry):
    """Listener of docflow: an e-mail to the applicant on every state change."""
    if log_entry.kind != WorkflowLog.Kind.TRANSITION:
        return
    pengajuan = Pengajuan.objects.filter(doctype=log_entry.doctype, document_id=doc.pk).exclude(email="").first()
    if pengajuan is None:
        return
    spec = LAYANAN[pengajuan.layanan]
    body = _("Status permohonan %(name)s kini: %(state)s.\n") % {"name": doc.name, "state": log_entry.to_state}
    if log_entry.to_state == spec.returned_state and log_entry.comment:
        body += _("Alasan pengembalian: %(reason)s\nSilakan lengkapi berkas melalui halaman pelacakan.\n") % {
            "reason": log_entry.comment
        }
    body += _("Pantau di %(url)s\n") % {"url": _track_url(pengajuan)}
    _send(pengajuan, _("Perubahan status permohonan %(kode)s") % {"kode": pengajuan.kode}, body)


def _send(pengajuan, subject, body):
    """As a background job: an SMTP outage is retried with backoff, and the
    administrator sees a mail that never went (Pengaturan -> Pekerjaan Latar)."""
    jobs.enqueue(
        jobs.send_email, label=f"E-mail {pengajuan.kode}", subject=str(subject), body=str(body), to=[pengajuan.email]
    )
