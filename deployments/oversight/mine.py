"""A system leader's and a school or trust contact's own dashboard: their
support cases and deployments with the next step and whose move it is (from the
workflow tables), days used and left, and a system leader's claims. The rows are
the user's own (a handful), read through the same visibility selectors as
their lists, in a fixed number of queries."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from deployments.claims.selectors import claim_list_for
from deployments.delivery.selectors import deployment_list_for
from deployments.matching.selectors import support_case_visible_to
from portal.models import Role
from portal.workflow_spec import current_step

CLOSED_CASE_STATES = ("deployment_issued", "withdrawn", "declined")
# Whose move it is, as a sentence names them.
WAITING_FOR = {
    Role.REGIONS_STAFF: "DfE Regions Group staff",
    Role.REGIONAL_DIRECTOR: "the Regional Director",
    Role.RDP: "the Regional Delivery Partner (RDP)",
    Role.SYSTEM_LEADER: "the system leader",
    Role.SCHOOL_CONTACT: "the school or trust",
    Role.FINANCE: "DfE finance",
    Role.ADMIN: "Admin",
}


def next_step(record, user) -> dict:
    """What happens next: the user's own move (the table's words), or whose it is."""
    step = current_step(record)
    if step.actor is None:
        return {"text": "Nothing: this is finished.", "yours": False}
    if step.actor.role == user.role or any(p.role == user.role for p in step.also):
        return {"text": step.queue_label or "Take the next step", "yours": True}
    return {"text": f"Waiting for {WAITING_FOR[step.actor.role]}", "yours": False}


def _deployment_rows(user, today) -> list[dict]:
    deployments = (
        deployment_list_for(user)
        .prefetch_related(None)
        .prefetch_related("system_leader__user")
        .order_by("-issued_on", "-pk")
    )
    rows = []
    for d in deployments:
        logged = d.logged_days or Decimal("0")
        rows.append(
            {
                "deployment": d,
                "href": reverse("deployments:deployment-detail", args=[d.pk]),
                "next": next_step(d, user),
                "overdue": d.is_overdue(today),
                "logged": logged,
                "cap": d.claim_cap_days,
                "left": max(d.claim_cap_days - logged, Decimal("0")),
            }
        )
    return rows


def _case_rows(user, today) -> list[dict]:
    cases = (
        support_case_visible_to(user)
        .exclude(state__in=CLOSED_CASE_STATES)
        .prefetch_related(None)
        .order_by("due_on", "pk")
    )
    return [
        {
            "case": c,
            "href": reverse("deployments:case-detail", args=[c.pk]),
            "next": next_step(c, user),
            "overdue": c.is_overdue(today),
        }
        for c in cases
    ]


def _claim_rows(user) -> list[dict]:
    claims = (
        claim_list_for(user)
        .select_related(None)
        .select_related("deployment__school", "deployment__trust")
        .prefetch_related(None)
        .order_by("-created_at", "-pk")
    )
    return [
        {
            "claim": c,
            "href": reverse("deployments:claim-detail", args=[c.pk]),
            "next": next_step(c, user),
        }
        for c in claims
    ]


def my_dashboard(user) -> dict:
    today = timezone.localdate()
    deployments = _deployment_rows(user, today)
    live = [r for r in deployments if r["deployment"].state != "withdrawn"]
    context = {
        "cases": _case_rows(user, today),
        "deployments": deployments,
        "days_used": sum((r["logged"] for r in live), Decimal("0")),
        "days_left": sum((r["left"] for r in live), Decimal("0")),
        "claims": _claim_rows(user) if user.role == Role.SYSTEM_LEADER else [],
        "is_leader": user.role == Role.SYSTEM_LEADER,
    }
    from deployments.oversight.dashboard import work_lists

    context["work_lists"] = work_lists(user)
    context["waiting"] = [
        r for r in [*context["cases"], *deployments, *context["claims"]] if r["next"]["yours"]
    ]
    return context
