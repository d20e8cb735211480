from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.layanan_view, name="layanan"),
    path("ajukan/<slug:slug>/", views.ajukan_view, name="ajukan"),
    path("lacak/", views.lacak_view, name="lacak"),
    path("lacak/<str:kode>/", views.lacak_detail_view, name="lacak-detail"),
    path("lacak/<str:kode>/unduh/<int:pk>/", views.unduh_view, name="unduh"),
    path("verifikasi/<str:token>", views.verifikasi_view, name="verifikasi"),
]
