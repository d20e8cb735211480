from django.urls import path

from . import views

app_name = "pembinaan"
urlpatterns = [
    path("register-banpol/", views.banpol_register_view, name="register-banpol"),
    path("register-hibah/", views.hibah_register_view, name="register-hibah"),
]
