from django.urls import path

from . import views

app_name = "laporan"
urlpatterns = [
    path("tertunda/", views.pending_view, name="pending"),
    path("waktu-proses/", views.cycle_view, name="cycle"),
    path("register/<slug:jenis>/", views.register_view, name="register"),
    path("unit-saya/", views.unit_inbox_view, name="unit-inbox"),
    path("iku/", views.iku_view, name="iku"),
    path("register-honorarium-timdu/", views.honorarium_timdu_register_view, name="register-honorarium-timdu"),
    path("insiden-konflik/", views.incident_view, name="insiden-konflik"),
    path("iku/<int:urutan>/<int:tahun>/", views.iku_dokumen_view, name="iku-dokumen"),
    path("register-orang-asing/", views.register_orang_asing_view, name="register-orang-asing"),
    path("rekap-pemilu/", views.rekap_pemilu_view, name="rekap-pemilu"),
]
