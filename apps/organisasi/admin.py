from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from unfold.admin import ModelAdmin

from apps.docflow.desk.history import GuardedHistoryAdmin

from .models import Delegasi, Jabatan, KeanggotaanTim, Pegawai, Peran, Unit


class OrgAdmin(GuardedHistoryAdmin, ModelAdmin):
    pass


@admin.register(Unit)
class UnitAdmin(OrgAdmin):
    list_display = ("kode", "nama", "jenis", "induk")
    search_fields = ("kode", "nama")


@admin.register(Jabatan)
class JabatanAdmin(OrgAdmin):
    list_display = ("nama", "kode_jabatan", "unit", "atasan")
    search_fields = ("nama", "kode")
    list_filter = ("unit",)


@admin.register(Peran)
class PeranAdmin(OrgAdmin):
    list_display = ("group", "lingkup", "eksternal")
    list_filter = ("lingkup", "eksternal")


@admin.register(Pegawai)
class PegawaiAdmin(OrgAdmin):
    list_display = ("nama", "nip", "sebutan_jabatan", "unit", "aktif")
    list_filter = ("unit", "aktif")
    search_fields = ("nama", "nip", "user__username")
    autocomplete_fields = ("user",)


class DelegasiForm(forms.ModelForm):
    class Meta:
        model = Delegasi
        fields = "__all__"

    def clean(self):
        data = super().clean()
        pejabat, peran = data.get("pejabat"), data.get("peran")
        if pejabat and peran:
            missing = [g.name for g in peran if not pejabat.groups.filter(pk=g.pk).exists()]
            if missing:
                raise forms.ValidationError(
                    _("Pejabat definitif tidak memegang peran: %(roles)s.") % {"roles": ", ".join(missing)}
                )
        return data


@admin.register(Delegasi)
class DelegasiAdmin(OrgAdmin):
    form = DelegasiForm
    list_display = ("jenis", "pejabat", "pelaksana", "mulai", "selesai", "dibatalkan")
    list_filter = ("jenis", "dibatalkan")
    filter_horizontal = ("peran",)


@admin.register(KeanggotaanTim)
class KeanggotaanTimAdmin(OrgAdmin):
    list_display = ("tim", "anggota", "jabatan_tim", "mulai", "selesai", "dasar", "dicabut")
    list_filter = ("tim", "dicabut")
    search_fields = ("anggota__username", "anggota__pegawai__nama", "dasar")
