"""Reads for the system-leader register: who sees whom, and one query shape."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deployments.leaders.models import SystemLeader
from portal.models import Role
from schools.models import Region


def _active_deployments():
    from deployments.delivery.models import Deployment

    counted = (
        Deployment.objects.filter(system_leader=OuterRef("pk"), state__in=Deployment.OPEN_STATES)
        .order_by()
        .values("system_leader")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def system_leader_queryset(*, conflicts: bool = True) -> QuerySet[SystemLeader]:
    """Every leader with what the pages and the API show, in a constant number
    of queries: the user joined (the register sorts by name); trust, school,
    regions and conflicts prefetched for the page's rows only (joined, PostgreSQL
    joined every trust before sorting); `active_count`."""
    from schools.models import School, Trust

    leaders = (
        SystemLeader.objects.select_related("user")
        .prefetch_related(
            "trust", "school", Prefetch("regions", queryset=Region.objects.order_by("name"))
        )
        .annotate(active_count=_active_deployments())
    )
    if conflicts:
        leaders = leaders.prefetch_related(
            Prefetch("conflict_schools", queryset=School.objects.only("pk", "urn", "name")),
            Prefetch("conflict_trusts", queryset=Trust.objects.only("pk", "uid", "name")),
        )
    return leaders


def system_leader_list_for(user, *, conflicts: bool = True) -> QuerySet[SystemLeader]:
    """The leaders this user may see, by name; `conflicts=False` for the register's
    page, which does not show them (prefetching them cost a queryset per row). The
    list's filters are deployments.leaders.filters.SystemLeaderFilterSet.

    Admin: all. Regions Group staff, Regional Directors, RDPs: those who work in
    one of their regions. A system leader: their own profile. Anyone else: none."""
    leaders = system_leader_queryset(conflicts=conflicts)
    if user.has_perm("portal.use_admin"):
        pass
    elif user.role in (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP):
        leaders = leaders.in_regions(user.region_ids)
    elif user.role == Role.SYSTEM_LEADER:
        leaders = leaders.filter(user=user)
    else:
        return leaders.none()
    return leaders.order_by("user__full_name", "pk")


def system_leader_of(user) -> SystemLeader | None:
    """A system leader's own profile, if it has been set up."""
    return system_leader_queryset().filter(user=user).first()
