"""The query pieces a dashboard figure and the filtered list behind it share.

The funnel counts distinct schools and trusts: one eligibility row per school or
trust and offer (its latest current row), narrowed to those that ever reached a
stage. The eligibility list's `reached` filter applies the same `Q`s, so the
figure is the count of the list it links to. "Ever reached" reads the current
state and the deployment's history rows (django-simple-history keeps the state
of every save), so a withdrawn deployment that was delivering still counts."""

import json

from django.db.models import Exists, OuterRef, Q

FUNNEL_STAGES = ("eligible", "in_case", "deployment_issued", "delivering", "accepted", "closed")
FUNNEL_LABELS = {
    "eligible": "Eligible",
    "in_case": "Support case opened",
    "deployment_issued": "Deployment issued",
    "delivering": "Delivering",
    "accepted": "Form accepted",
    "closed": "Closed",
}
# The deployment states at or after each stage (withdrawn is reached from any open state).
_AT_OR_AFTER = {
    "delivering": ("delivery", "school_sign_off", "signed", "submitted", "accepted", "closed"),
    "accepted": ("accepted", "closed"),
    "closed": ("closed",),
}


def latest_per_target_q() -> Q:
    """The eligibility row is its school's or trust's latest current row for its
    offer (a school eligible by two criteria is one school)."""
    from deployments.models import EligibilityAssessment

    later = EligibilityAssessment.objects.current().filter(
        offer=OuterRef("offer"), pk__gt=OuterRef("pk")
    )
    return ~Exists(later.filter(school=OuterRef("school"))) & ~Exists(
        later.filter(trust=OuterRef("trust"))
    )


def deployment_reached_q(stage: str, prefix: str = "") -> Q:
    """A deployment (the model itself, or through `prefix`) that is, or once was, at
    or after `stage` ("delivering", "accepted" or "closed")."""
    from deployments.delivery.models import Deployment

    states = _AT_OR_AFTER[stage]
    history = Deployment.history.model.objects.filter(id=OuterRef(f"{prefix}pk"), state__in=states)
    return Q(**{f"{prefix}state__in": states}) | Q(Exists(history))


def _for_target(queryset) -> Q:
    return Q(Exists(queryset.filter(school=OuterRef("school")))) | Q(
        Exists(queryset.filter(trust=OuterRef("trust")))
    )


def reached_q(stage: str) -> Q:
    """An eligibility row whose school or trust reached `stage` for the row's offer."""
    from deployments.delivery.models import Deployment
    from deployments.matching.models import SupportCase

    if stage == "eligible":
        return Q()
    if stage == "in_case":
        return _for_target(SupportCase.objects.filter(offer=OuterRef("offer")))
    deployments = Deployment.objects.filter(offer=OuterRef("offer"))
    if stage == "deployment_issued":
        return _for_target(deployments)
    return _for_target(deployments.filter(deployment_reached_q(stage)))


# Focus areas and programmes: over completed `scope` sections. Scoping is done
# (`scoping_done`) only once the scope is completed, so a completed scope is the
# scope of a deployment that reached delivery. A key is matched as its quoted
# JSON text, which reads the same on SQLite and PostgreSQL.


def chose_q(field: str, value: str, prefix: str = "") -> Q:
    """A scope section's data names `value` in its list `field` (as quoted JSON
    text); `prefix` the path from the model queried to the section."""
    return Q(**{f"{prefix}data__{field}__icontains": f'"{value}"'})


def chosen_text(chosen) -> str:
    """One section's list already read (decoded), as `chose_q` reads it: its JSON
    text, in capitals; `value` is chosen when `f'"{value}"'.upper()` is in it."""
    return json.dumps(chosen, ensure_ascii=False).upper()


def completed_scopes(deployments):
    """The completed `scope` sections of `deployments` (at most one each)."""
    from deployments.delivery.models import DeploymentSection

    reached = deployments.filter(deployment_reached_q("delivering")).order_by().values("pk")
    return DeploymentSection.objects.filter(key="scope", deployment__in=reached)


def _scope_chose(field: str, value: str, prefix: str) -> Q:
    from deployments.delivery.models import DeploymentSection

    chosen = DeploymentSection.objects.filter(
        chose_q(field, value), deployment=OuterRef(f"{prefix}pk"), key="scope"
    )
    return deployment_reached_q("delivering", prefix) & Q(Exists(chosen))


def focus_area_q(key: str, prefix: str = "") -> Q:
    """A deployment whose completed scope chose focus area `key`."""
    return _scope_chose("focus_areas", key, prefix)


def programme_q(slug: str, prefix: str = "") -> Q:
    """A deployment whose completed scope signposted programme `slug`."""
    return _scope_chose("programmes", slug, prefix)


def offer_filter(queryset, value: str, path: str = "offer"):
    """An offer by id or academic year ("2023/24"), as the claim queue reads it;
    an id no key can hold matches nothing."""
    from portal.params import ascii_digits, id_param

    value = (value or "").strip()
    if not value:
        return queryset
    if ascii_digits(value):
        offer_id = id_param(value)
        return queryset.filter(**{f"{path}_id": offer_id}) if offer_id else queryset.none()
    return queryset.filter(**{f"{path}__academic_year": value})
