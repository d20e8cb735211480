"""The desk's sidebar: work first, then one group per process group, then reports and settings."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .. import registry


def _can(request, perm):
    return request.user.has_perm(perm)


def sidebar(request):
    """The sidebar of ``request``'s user, built once per kind of user (see
    ``site.chrome_key``; unfold copies it before marking the active item)."""
    from .site import chrome_cache, chrome_key

    key = chrome_key(request, "sidebar")
    if key is None:
        return _build_sidebar(request)
    return chrome_cache.get_or_build(key, lambda: _build_sidebar(request))


def _build_sidebar(request):
    groups: dict[str, list] = {}
    for info in registry.all_doctypes():
        meta = info.model._meta
        if not request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        try:
            link = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        groups.setdefault(info.group, []).append(
            {"title": f"{info.process_code} {meta.verbose_name_plural}", "icon": "description", "link": link}
        )
    nav = [
        {
            "title": _("Pekerjaan"),
            "items": [
                {"title": _("Beranda"), "icon": "dashboard", "link": reverse("admin:index")},
                {"title": _("Menunggu Tindakan Saya"), "icon": "inbox", "link": reverse("desk-inbox")},
                {"title": _("Ditugaskan ke Saya"), "icon": "assignment_ind", "link": reverse("desk-assigned")},
                {"title": _("Cari Dokumen"), "icon": "search", "link": reverse("desk-search")},
                {
                    "title": _("Permintaan Data / Tugas"),
                    "icon": "assignment",
                    "link": reverse("admin:docflow_subtask_changelist"),
                },
                {
                    "title": _("Notifikasi"),
                    "icon": "notifications",
                    "link": reverse("admin:docflow_notification_changelist"),
                    "badge": "apps.docflow.desk.navigation.unread_notifications",
                },
            ],
        }
    ]
    for title, items in sorted(groups.items()):
        nav.append({"title": title, "collapsible": True, "items": items})
    nav.append(
        {
            "title": _("Laporan"),
            "items": [
                {"title": _("Dokumen Tertunda per Unit"), "icon": "bar_chart", "link": reverse("laporan:pending")},
                {"title": _("Menunggu di Unit Saya"), "icon": "groups", "link": reverse("laporan:unit-inbox")},
                {"title": _("Waktu Proses dan Volume"), "icon": "timer", "link": reverse("laporan:cycle")},
                {"title": _("Register SKT"), "icon": "list_alt", "link": reverse("laporan:register", args=["skt"])},
                {
                    "title": _("Register Izin Penelitian"),
                    "icon": "list_alt",
                    "link": reverse("laporan:register", args=["izin-penelitian"]),
                },
                {
                    "title": _("Register Honorarium Timdu"),
                    "icon": "payments",
                    "link": reverse("laporan:register-honorarium-timdu"),
                },
                {
                    "title": _("Register Banpol"),
                    "icon": "account_balance",
                    "link": reverse("pembinaan:register-banpol"),
                },
                {
                    "title": _("Register Hibah"),
                    "icon": "volunteer_activism",
                    "link": reverse("pembinaan:register-hibah"),
                },
                {
                    "title": _("Register Insiden Konflik"),
                    "icon": "crisis_alert",
                    "link": reverse("laporan:insiden-konflik"),
                },
                {"title": _("IKU"), "icon": "flag", "link": reverse("laporan:iku")},
                {
                    "title": _("Register Orang Asing"),
                    "icon": "travel_explore",
                    "link": reverse("laporan:register-orang-asing"),
                },
                {"title": _("Rekap Pemilu"), "icon": "how_to_vote", "link": reverse("laporan:rekap-pemilu")},
            ],
        }
    )
    settings_items = [
        (_("Jenis Dokumen (DocType)"), "schema", "docflow.view_doctypedef", "admin:docflow_doctypedef_changelist"),
        (_("Field Tambahan"), "add_box", "docflow.view_customfield", "admin:docflow_customfield_changelist"),
        (_("Properti Field"), "tune", "docflow.view_propertysetter", "admin:docflow_propertysetter_changelist"),
        (_("Alur Kerja"), "account_tree", "docflow.view_workflow", "admin:docflow_workflow_changelist"),
        (_("Format Cetak"), "print", "docflow.view_printformat", "admin:docflow_printformat_changelist"),
        (_("Kop Surat"), "article", "docflow.view_letterhead", "admin:docflow_letterhead_changelist"),
        (_("Seri Penomoran"), "pin", "docflow.view_namingseries", "admin:docflow_namingseries_changelist"),
        (_("Kalender Kerja"), "calendar_month", "docflow.view_holiday", "admin:docflow_holiday_changelist"),
        (_("Dokumen Terbit"), "verified", "docflow.view_issueddocument", "admin:docflow_issueddocument_changelist"),
        (_("Realisasi IKU"), "flag", "laporan.view_realisasiiku", "admin:laporan_realisasiiku_changelist"),
        (_("Parpol"), "how_to_vote", "pembinaan.view_parpol", "admin:pembinaan_parpol_changelist"),
        (_("Tarif Banpol"), "payments", "pembinaan.view_tarifbanpol", "admin:pembinaan_tarifbanpol_changelist"),
        (_("Klasifikasi Arsip"), "folder", "umum.view_klasifikasiarsip", "admin:umum_klasifikasiarsip_changelist"),
        (
            _("Instruksi Disposisi"),
            "checklist",
            "umum.view_instruksidisposisi",
            "admin:umum_instruksidisposisi_changelist",
        ),
        (
            _("Keanggotaan Tim"),
            "diversity_3",
            "organisasi.view_keanggotaantim",
            "admin:organisasi_keanggotaantim_changelist",
        ),
        (_("Dokumen Berulang"), "event_repeat", "docflow.view_autorepeat", "admin:docflow_autorepeat_changelist"),
        (_("Webhook"), "webhook", "docflow.view_webhook", "admin:docflow_webhook_changelist"),
        (
            _("Log Permintaan Webhook"),
            "receipt_long",
            "docflow.view_webhookrequestlog",
            "admin:docflow_webhookrequestlog_changelist",
        ),
        (_("Pekerjaan Latar"), "work_history", "docflow.view_backgroundjob", "admin:docflow_backgroundjob_changelist"),
        (_("Unit Kerja"), "corporate_fare", "organisasi.view_unit", "admin:organisasi_unit_changelist"),
        (_("Pegawai"), "badge", "organisasi.view_pegawai", "admin:organisasi_pegawai_changelist"),
        (_("Delegasi Plt./Plh."), "swap_horiz", "organisasi.view_delegasi", "admin:organisasi_delegasi_changelist"),
        (_("Peran"), "group", "organisasi.view_peran", "admin:organisasi_peran_changelist"),
        (_("Akun Pengguna"), "person", "auth.view_user", "admin:auth_user_changelist"),
        (_("Log Masuk"), "login", "axes.view_accesslog", "admin:axes_accesslog_changelist"),
        (_("Log Gagal Masuk"), "gpp_bad", "axes.view_accessfailurelog", "admin:axes_accessfailurelog_changelist"),
        (_("Penghitung Kunci Akun"), "lock", "axes.view_accessattempt", "admin:axes_accessattempt_changelist"),
    ]
    items = [
        {"title": title, "icon": icon, "link": reverse(url)}
        for title, icon, perm, url in settings_items
        if _can(request, perm)
    ]
    items.append({"title": _("Kunci API Saya"), "icon": "key", "link": reverse("admin:docflow_apikey_mine")})
    nav.append({"title": _("Pengaturan"), "collapsible": True, "items": items})
    return nav


def unread_notifications(request):
    from ..models import Notification

    count = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return count or ""
