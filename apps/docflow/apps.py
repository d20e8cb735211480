from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocflowConfig(AppConfig):
    name = "apps.docflow"
    label = "docflow"
    verbose_name = _("Mesin Alur Dokumen")

    def ready(self):
        from . import timelimit

        timelimit.connect()

        from . import auto_repeat, jobs

        # recurring documents: due periods made hourly by the scheduler, as a background job
        jobs.scheduled(every=3600, name="auto_repeat")(auto_repeat.run_due)
        # this year's and next year's public holidays become rows of the working calendar
        from . import calendar

        jobs.scheduled(every=86400, name="national_holidays")(calendar.load_national_holidays_around)

        from . import registry, webhooks
        from .models import Webhook

        registry.register_master(
            registry.MasterType(
                doctype="Webhook",
                model=Webhook,
                name_field="name",
                default_order="name",
                create=webhooks.webhook_create,
                hidden_fields=webhooks.HIDDEN,
                staff_readable=False,
            )
        )

        from django.contrib.auth.models import Group
        from django.db.models.signals import post_delete, post_save

        from .models import Workflow, WorkflowState, WorkflowTransition
        from .services.workflow import workflow_definition_changed

        def part_changed(sender, instance, **kwargs):
            workflow_definition_changed(instance.workflow_id)

        def workflow_changed(sender, **kwargs):
            workflow_definition_changed()

        for model in (WorkflowState, WorkflowTransition):
            post_save.connect(part_changed, sender=model, weak=False, dispatch_uid=f"docflow_stamp_{model.__name__}")
            post_delete.connect(
                part_changed, sender=model, weak=False, dispatch_uid=f"docflow_stamp_d_{model.__name__}"
            )
        for model in (Workflow, Group):  # a renamed role changes the loaded transitions
            post_save.connect(
                workflow_changed, sender=model, weak=False, dispatch_uid=f"docflow_forget_{model.__name__}"
            )
            post_delete.connect(
                workflow_changed, sender=model, weak=False, dispatch_uid=f"docflow_forget_d_{model.__name__}"
            )
