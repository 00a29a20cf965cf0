"""Reads for deployments: what each user may see, totals, and recipients."""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from deployments.delivery.models import (
    Activity,
    CaseStudy,
    Deployment,
    DeploymentSection,
    EnhancedRequest,
    PartnershipGrant,
)
from portal import scoping
from portal.models import Role, TimelineEvent, User


def committed_days() -> ExpressionWrapper:
    """A deployment's committed days in SQL, as `Deployment.claim_cap_days` has
    them: its core days (the offer's, less the days logged on its case's earlier,
    withdrawn deployments; never below 0) plus its approved extension days. The
    one expression the capacity check, the dashboards, the list totals and the
    spend's commitment add up."""
    return ExpressionWrapper(
        Greatest(F("offer__core_days") - F("earlier_days_logged"), Value(Decimal(0)))
        + F("approved_extension_days"),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


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
        return qs.filter(scoping.in_users_regions_q(user))
    if user.role == Role.SYSTEM_LEADER:
        return qs.filter(system_leader__user=user)
    if user.role == Role.SCHOOL_CONTACT:
        return qs.filter(scoping.acts_for_q(user))
    return qs.none()


def deployment_home_rows(user, states, limit: int) -> dict:
    """Home: the deployments this user sees in `states` (the table's states
    whose step is the user's role's), due first."""
    from django.urls import reverse
    from django.utils import timezone

    from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW

    today = timezone.localdate()
    visible = (
        deployment_list_for(user)
        .select_related(None)
        .select_related("school", "trust")
        .prefetch_related(None)
    )
    waiting = visible.filter(state__in=states).order_by("due_on", "pk")
    rows = [
        {
            "text": f"{d.target.name}: {DEPLOYMENT_WORKFLOW.step(d.state).queue_label}",
            "href": reverse("deployments:deployment-detail", args=[d.pk]),
            "due_on": d.due_on,
            "overdue": d.is_overdue(today),
        }
        for d in waiting[:limit]
    ]
    if user.role in DEPLOYMENT_WORKFLOW.home_watching:
        # Delays the system leaders reported: to know of, not this user's move.
        delayed = visible.filter(delayed_q()).exclude(state__in=states)
        rows += [
            {
                "text": f"{d.target.name}: {delay_sentence(d)}",
                "href": reverse("deployments:deployment-detail", args=[d.pk]),
                "waiting": False,
                "delayed": True,
            }
            for d in delayed.order_by("delay_reported_on", "pk")[:limit]
        ]
    return {"rows": rows}


def delayed_q() -> Q:
    """A delay the system leader reported and has not yet moved on from."""
    return Q(delay_reported_on__isnull=False, state__in=Deployment.DELAY_STATES)


def delay_sentence(deployment: Deployment) -> str:
    """ "delay reported on 3 March 2024, expected to resume on 10 March 2024"."""
    from portal.emails import govuk_date

    text = f"delay reported on {govuk_date(deployment.delay_reported_on)}"
    if deployment.delay_expected_resume_on:
        text += f", expected to resume on {govuk_date(deployment.delay_expected_resume_on)}"
    return text


def enhanced_request_list_for(user) -> QuerySet[EnhancedRequest]:
    """The requests of the deployments this user sees, and (for a partner
    trust's contact) the requests whose grant is paid to their trust."""
    visible = deployment_list_for(user).values("pk")
    return (
        EnhancedRequest.objects.filter(
            Q(deployment__in=visible)
            | scoping.acts_for_q(user, school_field=None, trust_field="grant__partner_trust")
        )
        .select_related(
            "deployment__offer",
            "deployment__system_leader__user",
            "deployment__school",
            "deployment__trust",
            "suggested_trust",
        )
        .prefetch_related(
            "timeline_events__by",
            "grant__instalments__claim",
            "grant__partner_trust",
            "grant__bank_details",
        )
    )


def grant_list_for(user) -> QuerySet[PartnershipGrant]:
    """The partnership grants this user sees: those of the requests they see."""
    return (
        PartnershipGrant.objects.filter(
            enhanced_request__in=enhanced_request_list_for(user).values("pk")
        )
        .select_related(
            "partner_trust",
            "enhanced_request__deployment__school",
            "enhanced_request__deployment__trust",
            "enhanced_request__deployment__offer",
            "enhanced_request__deployment__system_leader__user",
            "bank_details",
        )
        .prefetch_related("instalments__claim")
        .order_by("-created_at", "-pk")
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


def case_study_list():
    """Every case study with its deployment's region and school: the queryset the
    library's filters (deployments.delivery.filters.CaseStudyFilterSet) narrow."""
    return CaseStudy.objects.select_related("deployment__region", "deployment__school")


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
    """The school's contacts and its trust's (`portal.scoping.contacts_of`)."""
    return scoping.contact_emails(deployment)


def leader_emails(deployment: Deployment) -> list[str]:
    return [deployment.system_leader.user.email]


def enhanced_request_facts(request) -> list[tuple[str, str]]:
    """An enhanced-support request as DfE decides it (check-your-answers rows)."""
    from portal.text import days, money

    deployment, offer = request.deployment, request.deployment.offer
    rows = [
        ("School or trust", deployment.target.name),
        ("System leader", deployment.system_leader.user.full_name),
        ("Support asked for", request.get_kind_display()),
    ]
    if request.kind == request.Kind.EXTENSION:
        rows.append(
            (
                "Extra days",
                f"{days(request.days)} (up to {offer.max_extension_days}, within "
                f"{offer.extension_window_weeks} weeks, at {money(offer.day_rate)} a day)",
            )
        )
    elif request.kind == request.Kind.FUNDED_PARTNERSHIP:
        rows.append(
            (
                "Grant",
                f"{money(offer.partnership_grant)} over {offer.partnership_months} months, "
                f"paid in {offer.partnership_instalments} instalments",
            )
        )
        if request.suggested_trust_id:
            rows.append(("Suggested partner trust", request.suggested_trust.name))
    for label, text in (("Context", request.context), ("Benefit", request.benefit)):
        if text:
            rows.append((label, text))
    return rows


def enhanced_request_decision_consequences(request, *, approved: bool) -> list[str]:
    """What a DfE decision does (who is e-mailed the decision: the workflow's table,
    added by the page)."""
    if not approved:
        return [
            "The request is declined. The e-mail gives your rationale.",
            "You can copy the diocese or local authority in.",
        ]
    if request.kind == request.Kind.EXTENSION:
        return ["The extra days are added to the days the system leader may claim."]
    return [
        "The partnership grant and its instalments are set up for payment to the partner "
        "trust, never to the system leader.",
        "The grant offer letter is e-mailed to the partner trust's contacts. If the trust "
        "has no contact on the portal, the person whose address you give is invited as "
        "its contact.",
    ]


def withdrawal_facts(deployment: Deployment) -> list[tuple[str, str]]:
    """What a system leader sees before withdrawing (check-your-answers rows)."""
    from portal.text import days, money

    logged = days_logged(deployment)
    return [
        ("School or trust", deployment.target.name),
        ("Stage", deployment.get_state_display()),
        ("Issued", f"{deployment.issued_on:%-d %B %Y}"),
        (
            "Days logged",
            f"{days(logged)} of {days(deployment.claim_cap_days)}"
            + (f": {money(claim_amount(deployment, logged))}" if logged else ""),
        ),
    ]


def withdrawal_consequences(deployment: Deployment) -> list[str]:
    """What either withdrawal does (who hears: the table's withdrawn e-mail, added by
    the page)."""
    logged = days_logged(deployment)
    paid = (
        "The days logged so far are claimed for the system leader: finance reviews the "
        "claim as any other (it flags bank details that are missing)."
        if logged
        else "No day was logged, so nothing is claimed."
    )
    return [
        "The deployment is withdrawn and its form closes.",
        "The support case goes back to Regions Group staff, who match the school or trust "
        "with another system leader (never the one withdrawn), for the core days not yet logged.",
        paid,
    ]
