"""The organisation's answer to docflow's questions: which roles a user holds
(directly or as Plt./Plh.), over which units, and who can act where."""

import hashlib

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.docflow.scope import Person, RoleGrant, ScopeBackend, authz_cached, backend, remember

from .models import Delegasi, KeanggotaanTim, Pegawai, Peran, Unit, unit_ancestor_ids, unit_subtree_ids


def _ancestors_and_self(unit_id) -> set[int]:
    return unit_ancestor_ids(unit_id)


class OrganisasiScope(ScopeBackend):
    def _pegawai(self, user) -> Pegawai | None:
        return remember(
            ("pegawai", user.pk),
            lambda: Pegawai.objects.select_related("unit", "jabatan").filter(user=user, aktif=True).first(),
        )

    def _role_grants(self, user, pegawai, *, on_behalf_of=None, label="", only=None) -> list[RoleGrant]:
        groups = user.groups.all() if only is None else user.groups.filter(pk__in=only)
        # one query: each group's name and reach (a group without a Peran reaches its unit)
        rows = list(groups.values_list("name", "peran__lingkup"))
        unit_ids = frozenset(unit_subtree_ids(pegawai.unit_id)) if pegawai else frozenset()
        grants = []
        for name, lingkup in rows:
            lingkup = lingkup or Peran.Lingkup.UNIT
            if lingkup == Peran.Lingkup.SEMUA:
                units, committee = None, False
            elif lingkup == Peran.Lingkup.KOMITE:
                units, committee = None, True
            else:
                units, committee = unit_ids, False
            grants.append(RoleGrant(name, units, on_behalf_of=on_behalf_of, label=label, committee=committee))
        return grants

    def grants(self, user, *, at=None) -> list[RoleGrant]:
        if not user or not user.is_authenticated or not user.is_active:
            return []
        day = timezone.localdate(at) if at else timezone.localdate()
        pegawai = self._pegawai(user)
        grants = self._role_grants(user, pegawai)
        held = {g.role for g in grants}
        memberships = (
            KeanggotaanTim.objects.filter(anggota=user, dicabut=False, mulai__lte=day, selesai__gte=day)
            .select_related("tim__peran")
            .order_by("tim__name")
        )
        for m in memberships:
            if m.tim.name in held:
                continue
            held.add(m.tim.name)
            lingkup = getattr(getattr(m.tim, "peran", None), "lingkup", Peran.Lingkup.KOMITE)
            if lingkup == Peran.Lingkup.UNIT:
                units = frozenset(unit_subtree_ids(pegawai.unit_id)) if pegawai else frozenset()
                grants.append(RoleGrant(m.tim.name, units, label=m.jabatan_tim))
            else:
                grants.append(RoleGrant(m.tim.name, None, label="", committee=lingkup == Peran.Lingkup.KOMITE))
        delegations = (
            Delegasi.objects.filter(pelaksana=user, dibatalkan=False, mulai__lte=day, selesai__gte=day)
            .select_related("pejabat")
            .prefetch_related("peran")
        )
        for d in delegations:
            official = d.pejabat
            official_pegawai = self._pegawai(official)
            title = official_pegawai.sebutan_jabatan if official_pegawai else official.get_full_name()
            grants.extend(
                self._role_grants(
                    official,
                    official_pegawai,
                    on_behalf_of=official,
                    label=f"{d.jenis} {title}",
                    only=[g.pk for g in d.peran.all()],
                )
            )
        return grants

    def visible_units(self, user):
        units: set[int] = set()
        for grant in backend().grants(user):  # remembered for the request
            if grant.units is None and not grant.committee:
                return None
            if grant.units:
                units |= grant.units
        pegawai = self._pegawai(user)
        if pegawai:
            units |= unit_subtree_ids(pegawai.unit_id)
        return frozenset(units)

    def users_for_role(self, role: str, unit_id) -> list:
        """Who holds ``role`` over ``unit_id`` today: its holders (at the unit
        or above it, unless the role reaches the whole agency or is a
        committee), the members of the team of that name, and whoever acts
        for a holder by delegation (Plt./Plh.); holders first (a letter's
        signer). Remembered as grants are: for the request, and across
        requests under the authorisation version that every write to the
        organisation bumps (users included): then one query reads them."""
        kind = f"role-holders:{hashlib.sha256(role.encode()).hexdigest()[:16]}"  # a cache key without spaces

        def load():
            computed = []

            def compute():
                computed.extend(self._users_for_role(role, unit_id))
                return [u.pk for u in computed]

            # the shared cache keeps ids, never user records (their password hashes stay in the database)
            pks = authz_cached(kind, unit_id, compute)
            if computed:
                return computed
            found = get_user_model().objects.filter(pk__in=pks, is_active=True).in_bulk()
            return [found[pk] for pk in pks if pk in found]

        return list(remember(("users_for_role", role, unit_id), load))

    def _users_for_role(self, role: str, unit_id) -> list:
        User = get_user_model()
        lingkup = Peran.objects.filter(group__name=role).values_list("lingkup", flat=True).first() or Peran.Lingkup.UNIT
        holders = User.objects.filter(groups__name=role, is_active=True)
        if lingkup == Peran.Lingkup.UNIT:
            holders = holders.filter(pegawai__unit_id__in=_ancestors_and_self(unit_id), pegawai__aktif=True)
        result = {u.pk: u for u in holders.order_by("pk")}
        holder_pks = list(result)
        today = timezone.localdate()
        members = KeanggotaanTim.objects.filter(
            tim__name=role, dicabut=False, mulai__lte=today, selesai__gte=today, anggota__is_active=True
        ).select_related("anggota")
        for m in members.order_by("anggota_id"):
            result.setdefault(m.anggota.pk, m.anggota)
        delegations = Delegasi.objects.filter(
            dibatalkan=False, mulai__lte=today, selesai__gte=today, peran__name=role, pejabat__in=holder_pks
        ).select_related("pelaksana")
        for d in delegations.order_by("pelaksana_id"):
            if d.pelaksana.is_active:
                result.setdefault(d.pelaksana.pk, d.pelaksana)
        return list(result.values())

    def person(self, user) -> Person:
        pegawai = self._pegawai(user)
        if pegawai is None:
            return Person(name=user.get_full_name() or user.get_username())
        return Person(name=pegawai.nama, nip=pegawai.nip, title=pegawai.sebutan_jabatan, rank=pegawai.pangkat_golongan)

    def unit_label(self, unit_id) -> str:
        return remember(
            ("unit_label", unit_id),
            lambda: Unit.objects.filter(pk=unit_id).values_list("nama", flat=True).first() or "-",
        )

    def home_unit(self, user):
        pegawai = self._pegawai(user) if user and user.is_authenticated else None
        return pegawai.unit_id if pegawai else None

    def member_units(self, user) -> frozenset:
        unit_id = self.home_unit(user)
        if unit_id is None:
            return frozenset()
        return remember(("member_units", user.pk), lambda: frozenset(unit_ancestor_ids(unit_id)))

    def unit_members(self, unit_id) -> list:
        User = get_user_model()
        return list(
            User.objects.filter(
                is_active=True, pegawai__aktif=True, pegawai__unit_id__in=unit_subtree_ids(unit_id)
            ).distinct()
        )

    def unit_by_code(self, code: str):
        return Unit.objects.filter(kode=code).values_list("pk", flat=True).first()

    def default_unit(self, doctype_info, user):
        if doctype_info.owner_unit:
            unit = Unit.objects.filter(kode=doctype_info.owner_unit).values_list("pk", flat=True).first()
            if unit:
                return unit
        return self.home_unit(user)
