"""The login audit log in the desk (django-axes' records), read-only and only
for those allowed to view it (superusers; the administrator's role is given
the view permissions): every successful login, every failure, and the
accounts currently counted towards a lockout. Unlock an account with
``manage.py axes_reset_username <username>``."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from unfold.admin import ModelAdmin


class ReadOnlyAudit:
    actions = None

    def has_view_permission(self, request, obj=None):
        meta = self.model._meta
        return request.user.is_active and (
            request.user.is_superuser or request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}")
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyAudit, AccessLogAdmin, ModelAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureAdmin(ReadOnlyAudit, AccessFailureLogAdmin, ModelAdmin):
    pass


@admin.register(AccessAttempt)
class LoginAttemptAdmin(ReadOnlyAudit, AccessAttemptAdmin, ModelAdmin):
    pass
