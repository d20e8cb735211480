from django.urls import path

from . import views

app_name = "laporan"
urlpatterns = [path("tertunda/", views.pending_view, name="pending")]
