"""Reads for deployments: what each user may see, totals, and recipients."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from deployments.delivery.models import (
    Activity,
    CaseStudy,
    Deployment,
    DeploymentSection,
    EnhancedRequest,
)
from portal.models import Role, TimelineEvent, User


def deployment_list_for(user) -> QuerySet[Deployment]:
    """The deployments this user may see: Admin all; regional roles their
    regions; a system leader their own; a school or trust contact theirs.

    The target, region and offer are joined and the rest prefetched: PostgreSQL spent
    about 3 ms planning the eleven-join query that fetched it all in one."""
    qs = (
        Deployment.objects.select_related("offer", "region", "school", "school__trust", "trust")
        .annotate(logged_days=_days_logged_sum())
        .prefetch_related(
            "system_leader__user",
            "bank_details",
            Prefetch("sections", queryset=DeploymentSection.objects.all()),
            Prefetch("timeline_events", queryset=TimelineEvent.objects.select_related("by")),
        )
    )
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == Role.ADMIN or user.is_superuser:
        return qs
    if user.role in (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP):
        return qs.filter(region_id__in=user.region_ids)
    if user.role == Role.SYSTEM_LEADER:
        return qs.filter(system_leader__user=user)
    if user.role == Role.SCHOOL_CONTACT:
        mine = Q(pk__in=[])
        if user.school_id:
            mine |= Q(school_id=user.school_id)
        if user.trust_id:
            mine |= Q(trust_id=user.trust_id)
        return qs.filter(mine)
    return qs.none()


def deployment_home_rows(user, states, limit: int) -> dict:
    """Home: the deployments this user sees in `states` (the table's states
    whose step is the user's role's), due first."""
    from django.urls import reverse
    from django.utils import timezone

    from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW

    today = timezone.localdate()
    waiting = (
        deployment_list_for(user)
        .filter(state__in=states)
        .select_related(None)
        .select_related("school", "trust")
        .prefetch_related(None)
        .order_by("due_on", "pk")
    )
    return {
        "rows": [
            {
                "text": f"{d.target.name}: {DEPLOYMENT_WORKFLOW.step(d.state).queue_label}",
                "href": reverse("deployments:deployment-detail", args=[d.pk]),
                "due_on": d.due_on,
                "overdue": d.is_overdue(today),
            }
            for d in waiting[:limit]
        ]
    }


def enhanced_request_list_for(user) -> QuerySet[EnhancedRequest]:
    visible = deployment_list_for(user).values("pk")
    return (
        EnhancedRequest.objects.filter(deployment__in=visible)
        .select_related("deployment__offer", "deployment__system_leader__user", "suggested_trust")
        .prefetch_related("timeline_events__by", "grant__instalments", "grant__partner_trust")
    )


def enhanced_request_home_rows(user, states, limit: int) -> dict:
    """Home: the enhanced requests this user sees in `states`, due first."""
    from django.urls import reverse
    from django.utils import timezone

    from deployments.delivery.workflows import ENHANCED_WORKFLOW

    today = timezone.localdate()
    visible = deployment_list_for(user).values("pk")
    waiting = (
        EnhancedRequest.objects.filter(deployment__in=visible, state__in=states)
        .select_related("deployment__school", "deployment__trust")
        .order_by("due_on", "pk")
    )
    return {
        "rows": [
            {
                "text": f"{r.deployment.target.name}: {r.get_kind_display()}:"
                f" {ENHANCED_WORKFLOW.step(r.state).queue_label.lower()}",
                "href": reverse("deployments:enhanced-request-detail", args=[r.pk]),
                "due_on": r.due_on,
                "overdue": r.is_overdue(today),
            }
            for r in waiting[:limit]
        ]
    }


def _days_logged_sum():
    total = (
        Activity.objects.filter(deployment=OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(total=Sum("days"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField())


def days_logged(deployment: Deployment) -> Decimal:
    """The days logged so far: `deployment_list_for`'s annotation when the deployment
    came from it (no query per page or per API row), else one query."""
    annotated = getattr(deployment, "logged_days", None)
    if annotated is not None:
        return annotated
    total = Activity.objects.filter(deployment=deployment).aggregate(total=Sum("days"))["total"]
    return total or Decimal("0")


def claim_amount(deployment: Deployment, days) -> Decimal | None:
    if days in (None, ""):
        return None
    return (Decimal(str(days)) * deployment.offer.day_rate).quantize(Decimal("0.01"))


def case_study_search(*, focus_area: str = "", phase: str = "", region_id=None, text: str = ""):
    qs = CaseStudy.objects.select_related("deployment__region", "deployment__school")
    if focus_area:
        # JSON containment is not on SQLite: filter the (small) list in Python.
        ids = [c.pk for c in qs if focus_area in (c.focus_areas or [])]
        qs = qs.filter(pk__in=ids)
    if phase:
        qs = qs.filter(phase__iexact=phase)
    if region_id:
        qs = qs.filter(deployment__region_id=region_id)
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(context__icontains=text)
            | Q(support_carried_out__icontains=text)
            | Q(impact__icontains=text)
        )
    return qs


def _active(role, **filters) -> list[str]:
    return list(
        User.objects.filter(role=role, is_active=True, **filters)
        .values_list("email", flat=True)
        .distinct()
    )


def rdp_emails(deployment: Deployment) -> list[str]:
    return _active(Role.RDP, regions=deployment.region_id)


def regions_staff_emails(deployment: Deployment) -> list[str]:
    return _active(Role.REGIONS_STAFF, regions=deployment.region_id)


def contact_emails(deployment: Deployment) -> list[str]:
    if deployment.school_id:
        return _active(Role.SCHOOL_CONTACT, school_id=deployment.school_id)
    return _active(Role.SCHOOL_CONTACT, trust_id=deployment.trust_id)


def leader_emails(deployment: Deployment) -> list[str]:
    return [deployment.system_leader.user.email]
