from django.urls import path, re_path

from . import collab, views

urlpatterns = [
    path("method/ping", views.ping),
    path("method/login", views.login_view),
    path("method/logout", views.logout_view),
    path("method/frappe.auth.get_logged_user", views.get_logged_user),
    path("method/frappe.client.get_list", views.client_get_list),
    path("method/frappe.client.get_count", views.client_get_count),
    path("method/frappe.client.get", views.client_get),
    path("method/frappe.model.workflow.get_transitions", views.workflow_get_transitions),
    path("method/frappe.model.workflow.apply_workflow", views.workflow_apply),
    path("method/frappe.utils.print_format.download_pdf", views.download_pdf),
    path("method/upload_file", views.upload_file),
    path("method/frappe.handler.upload_file", views.upload_file),
    path("method/frappe.desk.form.utils.add_comment", collab.add_comment),
    path("method/frappe.desk.form.assign_to.add", collab.assign_add),
    path("method/frappe.desk.form.assign_to.remove", collab.assign_remove),
    path("method/frappe.desk.search.search_link", collab.search_link),
    path("method/frappe.utils.global_search.search", collab.global_search_view),
    path("resource/Comment", collab.comment_list),
    path("resource/Comment/<str:name>", collab.comment_detail),
    path("resource/ToDo", collab.todo_list),
    path("resource/ToDo/<str:name>", collab.todo_detail),
    path("resource/<str:doctype>", views.resource_list),
    path("resource/<str:doctype>/<str:name>", views.resource_detail),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
