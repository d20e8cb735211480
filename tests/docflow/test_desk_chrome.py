"""The desk's chrome (sidebar, "all applications") is built once per kind of
user and follows every change of what that user may open."""

import re

from django.contrib.auth.models import Permission

from apps.docflow.desk import site as desk_site
from apps.docflow.dynamic import runtime
from tests.conftest import user

PAGE = "/app/ditugaskan/"


def test_the_default_admin_site_is_the_desk_site():
    from django.contrib import admin

    assert isinstance(admin.site, desk_site.DeskSite)


def test_the_app_list_is_built_once_per_kind_of_user(login_as, monkeypatch):
    built = []
    original = desk_site.DeskSite._build_app_dict

    def counting(self, request, label=None):
        built.append(request.user.username)
        return original(self, request, label)

    monkeypatch.setattr(desk_site.DeskSite, "_build_app_dict", counting)
    desk_site.chrome_cache.clear()
    client = login_as("kabid_kbk")
    first = client.get(PAGE).content.decode()
    client.get(PAGE)
    assert built == ["kabid_kbk"]
    assert "Menunggu Tindakan Saya" in first
    # another Kepala Bidang holds the same rights: the same list; other rights build their own
    assert user("kabid_iwk").get_all_permissions() == user("kabid_kbk").get_all_permissions()
    login_as("kabid_iwk").get(PAGE)
    assert built == ["kabid_kbk"]
    login_as("kaban").get(PAGE)
    assert built == ["kabid_kbk", "kaban"]
    # a definition change (a data-defined doctype saved) builds it again
    runtime.forget()
    login_as("kabid_kbk").get(PAGE)
    assert built.count("kabid_kbk") == 2


def test_the_sidebar_follows_the_users_rights(login_as):
    account = user("kabid_kbk")
    assert not account.has_perm("auth.view_user")
    client = login_as("kabid_kbk")
    assert "Akun Pengguna" not in client.get(PAGE).content.decode()
    account.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_user"))
    page = client.get(PAGE).content.decode()
    assert "Akun Pengguna" in page
    assert "/app/auth/user/" in page
    account.user_permissions.clear()
    assert "Akun Pengguna" not in client.get(PAGE).content.decode()


def test_the_active_item_is_marked_per_page_not_cached(login_as):
    client = login_as("kaban")
    inbox = client.get("/app/menunggu-tindakan/").content.decode()
    assigned = client.get(PAGE).content.decode()

    def active_link(html):
        # the sidebar links unfold marks active (class ending in "active")
        return re.findall(r'<a href="([^"]+)" class="[^"]*\bactive"', html)

    assert active_link(inbox) == ["/app/menunggu-tindakan/"]
    assert active_link(assigned) == [PAGE]


def test_a_document_form_builds_each_field_once(login_as, monkeypatch):
    """unfold iterates each row of fields twice (its CSS classes, then the
    fields); the desk's rows keep what they built (desk.fieldsets)."""
    from unfold.fields import UnfoldAdminReadonlyField

    from tests.conftest import advance_skt, make_skt

    doc = advance_skt(make_skt(nama_ormas="Ormas Sekali Bangun"), "Menunggu Persetujuan")
    built = []
    original = UnfoldAdminReadonlyField.__init__

    def counting(self, form, field, *args, **kwargs):
        built.append(field)
        original(self, form, field, *args, **kwargs)

    monkeypatch.setattr(UnfoldAdminReadonlyField, "__init__", counting)
    page = login_as("kaban").get(f"/app/perizinan/permohonanskt/{doc.pk}/change/").content.decode()
    assert "Ormas Sekali Bangun" in page
    assert built, "the Kepala Badan reads this document's fields, read-only"
    assert len(built) == len(set(built)), [f for f in built if built.count(f) > 1]


def test_a_list_computes_its_headers_once_whatever_its_rows(login_as, monkeypatch):
    """unfold asks for a list's column headers again for every row it draws;
    the desk keeps the first answer per list (desk.site.headers_once_per_list)."""
    from unfold.templatetags import unfold_list

    from tests.conftest import make_skt

    labels = []
    original = unfold_list.label_for_field
    monkeypatch.setattr(unfold_list, "label_for_field", lambda *a, **k: labels.append(a[0]) or original(*a, **k))
    client = login_as("kaban")
    counts = []
    for more in (2, 6):
        for i in range(more):
            make_skt(nama_ormas=f"Ormas Kolom {len(counts)}-{i}")
        labels.clear()
        page = client.get("/app/perizinan/permohonanskt/").content.decode()
        assert "Ormas Kolom" in page
        counts.append(len(labels))
    assert counts[0] == counts[1], counts  # not one more lookup per row


def test_the_row_checkbox_is_unfolds_widget(login_as):
    from django.contrib import admin
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from unfold.admin import checkbox

    from tests.conftest import make_skt

    doc = make_skt(nama_ormas="Ormas Centang")
    model_admin = admin.site._registry[type(doc)]
    assert model_admin.action_checkbox(doc) == checkbox.render(ACTION_CHECKBOX_NAME, str(doc.pk))
