from django.urls import path

from . import views

app_name = "docflow"
urlpatterns = [
    path("files/<int:pk>/", views.file_download, name="file"),
    path("terbit/<int:pk>/", views.issued_download, name="issued"),
]
