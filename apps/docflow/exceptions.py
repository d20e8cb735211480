"""Typed errors of the engine, so callers and tests can tell refusals apart.

Each carries the HTTP status the API answers with and the Frappe exception
name its clients expect in ``exc_type``.
"""

from django.utils.translation import gettext_lazy as _


class DocflowError(Exception):
    http_status = 417
    exc_type = "ValidationError"
    default_message = _("Permintaan tidak dapat diproses.")

    def __init__(self, message=None, **params):
        self.params = params
        text = message if message is not None else self.default_message
        self.message = str(text) % params if params else str(text)
        super().__init__(self.message)


class DocumentNotFound(DocflowError):
    http_status = 404
    exc_type = "DoesNotExistError"
    default_message = _("Dokumen tidak ditemukan.")


class UnknownDocType(DocflowError):
    http_status = 404
    exc_type = "DoesNotExistError"
    default_message = _("Jenis dokumen %(doctype)s tidak dikenal.")


class WorkflowPermissionError(DocflowError):
    http_status = 403
    exc_type = "PermissionError"
    default_message = _("Anda tidak berwenang melakukan tindakan ini.")


class RoleNotAllowed(WorkflowPermissionError):
    default_message = _("Tindakan %(action)s hanya dapat dilakukan oleh peran %(role)s.")


class OutsideUnitScope(WorkflowPermissionError):
    default_message = _("Dokumen ini milik unit %(unit)s, di luar lingkup unit Anda.")


class SelfApprovalNotAllowed(WorkflowPermissionError):
    default_message = _("Pembuat dokumen tidak boleh menyetujui dokumennya sendiri.")


class TransitionNotAvailable(DocflowError):
    default_message = _("Tindakan %(action)s tidak tersedia pada status %(state)s.")


class StateConflict(DocflowError):
    http_status = 409
    exc_type = "TimestampMismatchError"
    default_message = _(
        "Status dokumen sudah berubah menjadi %(current)s sejak Anda membukanya "
        "(yang Anda lihat: %(expected)s). Muat ulang halaman lalu coba lagi."
    )


class CommentRequired(DocflowError):
    exc_type = "MandatoryError"
    default_message = _("Tindakan %(action)s wajib disertai alasan atau catatan.")


class AttachmentRequired(DocflowError):
    exc_type = "MandatoryError"
    default_message = _("Tindakan %(action)s wajib disertai lampiran bukti.")


class ConditionNotMet(DocflowError):
    default_message = _("Syarat tindakan %(action)s belum terpenuhi: %(condition)s.")

    def __init__(self, message=None, *, explanation=None, **params):
        self.explanation = explanation  # conditions.Explanation: what is missing, in words
        if message is None and explanation is not None:
            message = _("Tindakan %(action)s belum dapat dilakukan: %(missing)s.")
            params["missing"] = explanation.text
        super().__init__(message, **params)


class SubTasksOpen(DocflowError):
    default_message = _("Tindakan %(action)s menunggu permintaan data/tugas yang belum selesai: %(open)s.")

    def __init__(self, message=None, *, open_tasks=(), **params):
        self.open_tasks = list(open_tasks)
        super().__init__(message, **params)


class AlreadyVoted(DocflowError):
    exc_type = "DuplicateEntryError"
    http_status = 409
    default_message = _("Anda sudah memberikan persetujuan untuk tindakan %(action)s.")


class VotedInThisStep(AlreadyVoted):
    default_message = _(
        "Anda sudah memberikan suara %(voted)s pada tahap ini; tindakan %(action)s tidak dapat Anda lakukan sendiri."
    )


class NoActiveWorkflow(DocflowError):
    default_message = _("Belum ada alur kerja aktif untuk jenis dokumen %(doctype)s.")


class NumberingError(DocflowError):
    default_message = _("Penomoran gagal: %(reason)s.")


class PrintError(DocflowError):
    default_message = _("Format cetak tidak dapat dirender: %(reason)s.")
