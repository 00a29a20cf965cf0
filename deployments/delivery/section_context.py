"""The read-only parts of the deployment form's sections: section 1's register
facts (the school or trust and the system leader) and section 2's eligibility,
beside the fields `deployments.delivery.sections` declares."""

from django.urls import reverse

from deployments.delivery.models import Deployment
from deployments.delivery.sections import _in_multi_academy_trust


def prefill(deployment: Deployment) -> dict:
    """Section 1's read-only part: the register and the system leader's profile."""
    school, trust = deployment.school, deployment.trust
    leader = deployment.system_leader
    group = trust or (school.trust if school else None)
    return {
        "school_urn": school.urn if school else None,
        "name": (school or trust).name,
        "type": school.type_name if school else (trust.get_kind_display() if trust else ""),
        "phase": school.phase if school else "",
        "local_authority": (
            school.local_authority.name if school and school.local_authority_id else ""
        ),
        "trust_name": group.name if group else "",
        "trust_uid": group.uid if group else None,
        "headteacher_or_ceo": (school.headteacher if school else trust.head_of_group) or "",
        "region": deployment.region.name,
        "system_leader_name": leader.user.full_name,
        "system_leader_email": leader.user.email,
        "system_leader_kind": leader.get_kind_display(),
        "system_leader_organisation": str(leader.trust or leader.school or ""),
    }


# Section 1's read-only fields as people read them (the API keeps the keys).
PREFILL_LABELS = {
    "school_urn": "URN",
    "name": "School or trust",
    "type": "Type",
    "phase": "Phase",
    "local_authority": "Local authority",
    "trust_name": "Trust",
    "trust_uid": "Trust group UID",
    "headteacher_or_ceo": "Headteacher or chief executive",
    "region": "Region",
    "system_leader_name": "System leader",
    "system_leader_email": "System leader's email address",
    "system_leader_kind": "Kind of system leader",
    "system_leader_organisation": "System leader's school or trust",
}


def prefill_rows(prefilled: dict) -> list[dict]:
    """Section 1's register facts as labelled rows, the school and trust linked to
    their register pages; empty values are left out."""
    rows = []
    for name, label in PREFILL_LABELS.items():
        value = prefilled.get(name)
        if value in (None, ""):
            continue
        href = ""
        if name == "name" and prefilled.get("school_urn"):
            href = reverse("schools:school-detail", args=[prefilled["school_urn"]])
        elif name == "name" and prefilled.get("trust_uid"):
            href = reverse("schools:trust-detail", args=[prefilled["trust_uid"]])
        elif name == "trust_name" and prefilled.get("trust_uid"):
            href = reverse("schools:trust-detail", args=[prefilled["trust_uid"]])
        rows.append({"label": label, "value": value, "href": href})
    return rows


def eligibility_summary(deployment: Deployment) -> dict:
    """Section 2's read-only part: why the school or trust is eligible."""
    assessment = deployment.support_case.eligibility
    parts = [assessment.get_criterion_display()]
    if assessment.run_label:
        parts.append(f"a run of {assessment.run_label}")
    if assessment.latest_inspection_date:
        parts.append(f"latest inspection {assessment.latest_inspection_date:%-d %B %Y}")
    reason = (assessment.evidence or {}).get("reason")
    if isinstance(reason, str) and reason:
        parts.append(reason)
    return {
        "criterion": assessment.criterion,
        "criterion_label": assessment.get_criterion_display(),
        "evidence": "; ".join(parts).rstrip(".") + ".",  # a reason ends with its own stop
        "in_multi_academy_trust": _in_multi_academy_trust(deployment),
    }
