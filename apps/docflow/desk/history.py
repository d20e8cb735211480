"""django-simple-history's pages for configuration records (workflows, print
formats, reference data). The library lets anyone who may view a record POST
its revert form; here a revert needs the right to change the record."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(str(object_id)))  # through get_queryset
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._history_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._history_object(request, object_id)
        if request.method not in ("GET", "HEAD") and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
