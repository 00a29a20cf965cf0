"""The eight sections of the deployment form: their fields, rules and status.

One definition serves the API (`GET/PUT .../sections/{key}/`) and the HTML
pages: `section_clean` checks given values field by field (a wrong value is an
error; an empty one is simply still missing), `section_missing` lists the
required fields still empty, `section_statuses` gives each section its task
list status. Bank details are cleaned here but stored by the service,
encrypted, never in `DeploymentSection.data`."""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse

from deployments.choices import SUPPORT_LEVEL_HINTS, FocusArea, SupportLevel
from deployments.delivery.models import (
    DECLARATION_PREREQUISITES,
    SECTION_KEYS,
    BankDetails,
    Deployment,
    DeploymentSection,
)

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START_YET = "cannot_start_yet"
STATUS_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    COMPLETED: "Completed",
    CANNOT_START_YET: "Cannot start yet",
}

PRIORITIES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
NEXT_STEPS = [
    ("join_strong_mat", "Join a strong multi-academy trust"),
    ("funded_trust_partnership", "Funded trust partnership"),
    ("unfunded_trust_partnership", "Unfunded trust partnership"),
    ("extension_requested", "Extension requested"),
    ("no_further_support", "No further support needed"),
    ("other", "Other"),
]
# Asked (and required) only for a school in a multi-academy trust (SupportLevel).
MAT_ONLY_FIELDS = ("support_level", "mat_assurance_self_assessment_done")
NOT_IN_SECTION = "This field is not part of this section."
_SELF_ASSESSED = "mat_assurance_self_assessment_done"
NOT_ASKED = "Only asked for a school in a multi-academy trust."
HALF = Decimal("0.5")
MAX_DAYS = Decimal(999)  # the days columns hold 4 digits, one after the point
TEXT_LIMIT = 5000


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, email, bool, choice, date, half_days, focus_areas, programmes, digits
    label: str
    required: bool = True
    choices: tuple = ()
    hint: str = ""
    digits: int = 0
    choice_hints: tuple = ()  # (value, hint) pairs shown under each radio


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    writer: str  # "leader" or "contact"
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


SECTIONS = {
    s.key: s
    for s in [
        Section(
            "details",
            1,
            "School or trust details",
            "leader",
            (
                Field("contact_name", "text", "Contact name"),
                Field("contact_email", "email", "Contact email address"),
                Field("contact_role", "text", "Contact role", hint="For example, Headteacher"),
                Field("contact_phone", "text", "Contact telephone", required=False),
            ),
        ),
        Section(
            "scope",
            2,
            "Scope and diagnostics",
            "leader",
            (
                Field("additional_details", "text", "Additional details about eligibility"),
                Field("focus_areas", "focus_areas", "Areas you intend to focus on"),
                Field(
                    "programmes",
                    "programmes",
                    "Mechanisms of support (approved DfE programmes)",
                    required=False,
                ),
                Field("governance_support_needed", "bool", "Is governance support needed?"),
                Field(
                    "through_trust_ceo_confirmed",
                    "bool",
                    "Support goes through the Trust CEO",
                    hint="Required for a school in a multi-academy trust",
                ),
                Field(
                    "support_level",
                    "choice",
                    "Level of support agreed with the trust leadership",
                    choices=tuple(SupportLevel.choices),
                    hint="Support for a school in a trust focuses on the trust's leadership",
                    choice_hints=SUPPORT_LEVEL_HINTS,
                ),
                Field(
                    "mat_assurance_self_assessment_done",
                    "bool",
                    "Have you discussed the trust's MAT assurance framework self-assessment "
                    "with the trust leadership?",
                    hint="School-level support needs this discussion first",
                ),
            ),
        ),
        Section(
            "mid_review",
            3,
            "Mid-engagement review",
            "leader",
            (
                Field("progress", "text", "Progress so far"),
                Field("changes", "text", "Changes to the programme of support"),
                Field(
                    "return_sent_to_rdp",
                    "bool",
                    "Mid-point return sent to the RDP",
                    required=False,
                ),
            ),
        ),
        Section(
            "closure",
            4,
            "Closure and next steps",
            "leader",
            (
                Field("all_activities_completed", "bool", "Were all planned activities completed?"),
                Field(
                    "not_completed_reason",
                    "text",
                    "Why not all activities were completed",
                    required=False,
                ),
                Field("impact", "text", "Impact"),
                Field("next_steps", "choice", "Next steps", choices=tuple(NEXT_STEPS)),
            ),
        ),
        Section(
            "bank_details",
            5,
            "Bank details",
            "leader",
            (
                Field("account_name", "text", "Name on the account"),
                Field("sort_code", "digits", "Sort code", digits=6, hint="6 digits"),
                Field("account_number", "digits", "Account number", digits=8, hint="8 digits"),
            ),
        ),
        Section(
            "claim",
            6,
            "Payment claim",
            "leader",
            (Field("days", "half_days", "Days claimed", hint="In half days, for example 9.5"),),
        ),
        Section(
            "school_confirmation",
            8,
            "Supported school or trust confirmation",
            "contact",
            (
                Field("work_as_described", "bool", "Was the work carried out as described?"),
                Field("comments", "text", "Comments", required=False),
                Field("name", "text", "Your name"),
                Field("role", "text", "Your role"),
            ),
        ),
        Section(
            "declaration",
            7,
            "Declaration",
            "leader",
            (
                Field("confirmed", "bool", "I confirm the information in this form is correct"),
                Field("name", "text", "Your name"),
            ),
        ),
    ]
}
assert tuple(SECTIONS) == SECTION_KEYS
# The form's order for people (task list, pages, print): the system leader's
# declaration (7) comes before the school's confirmation (8). The API keeps
# the contract's key order.
FORM_ORDER = tuple(sorted(SECTION_KEYS, key=lambda k: SECTIONS[k].number))


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _clears(spec: Field, value) -> bool:
    """Whether a given value clears its field: a blank, or an empty list for a
    list field. Days are cleared by a blank text only (the HTML form's empty
    box): null, [] or {} is a mistake, not a wish to lose the claim."""
    if spec.kind in ("focus_areas", "programmes"):
        return value is None or value == []
    if spec.kind == "half_days":
        return value == ""
    return value is None or value == ""


def _bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0"):
        return False
    raise ValidationError("Select yes or no.")


def half_days(value, *, cap: Decimal | None = None, label: str = "Days") -> Decimal:
    """A positive number of days in half-day steps, at most `cap` and never more
    than MAX_DAYS: the one parser of days (claim section, activity log, extension
    requests; API and HTML). A text or a number only: a list, an object, a
    true/false or null is refused, and a huge number stops at the bound before
    any arithmetic (1e30 % 0.5 raised DivisionImpossible)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(f"{label} must be a number, like 9.5.")
    try:
        days = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label} must be a number, like 9.5.") from None
    if not days.is_finite() or days <= 0:
        raise ValidationError(f"{label} must be more than 0.")
    limit = MAX_DAYS if cap is None else min(cap, MAX_DAYS)
    if days > limit:
        why = " (the claim cap)" if cap is not None and cap <= MAX_DAYS else ""
        raise ValidationError(f"{label} must be {limit.normalize():f} or fewer{why}.")
    if days % HALF:
        raise ValidationError(f"{label} must be in half days, like 9 or 9.5.")
    return days


def _clean_value(spec: Field, value, deployment: Deployment):
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError("Enter text.")
        if len(value) > TEXT_LIMIT:
            raise ValidationError(f"{spec.label} must be {TEXT_LIMIT} characters or fewer.")
        return value.strip()
    if kind == "email":
        value = str(value).strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com."
            ) from None
        return value.lower()
    if kind == "bool":
        return _bool(value)
    if kind == "choice":
        if not isinstance(value, str) or value not in dict(spec.choices):
            raise ValidationError(f"Select one of the options for {spec.label.lower()}.")
        return value
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError("Enter a real date.") from None
    if kind == "half_days":
        return str(half_days(value, cap=deployment.claim_cap_days))
    if kind == "digits":
        # ASCII digits only (\d and \s would take Arabic-Indic digits and odd
        # spaces into the payment file); spaces and dashes are how people write them.
        digits = re.sub(r"[ -]", "", value) if isinstance(value, str) else ""
        if not re.fullmatch(rf"[0-9]{{{spec.digits}}}", digits):
            raise ValidationError(f"{spec.label} must be {spec.digits} digits.")
        return digits
    if kind == "focus_areas":
        return _clean_focus_areas(value)
    if kind == "programmes":
        return _clean_programmes(value)
    raise ValueError(kind)


def _clean_focus_areas(value) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError("Give a list of focus areas, each with a key and a priority.")
    seen, cleaned = set(), []
    for item in value:
        if not isinstance(item, dict):
            raise ValidationError("Each focus area needs a key and a priority.")
        key, priority = item.get("key"), item.get("priority")
        if key not in FocusArea.values:
            raise ValidationError(f"“{key}” is not a focus area.")
        if not isinstance(priority, str) or priority not in dict(PRIORITIES):
            raise ValidationError(f"Select a priority (high, medium or low) for “{key}”.")
        if key in seen:
            raise ValidationError(f"“{key}” is listed twice.")
        seen.add(key)
        cleaned.append({"key": key, "priority": priority})
    return cleaned


def _clean_programmes(value) -> list[str]:
    from deployments.programmes.models import Programme

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Give a list of programme slugs.")
    known = set(
        Programme.objects.filter(slug__in=value, active=True).values_list("slug", flat=True)
    )
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(f"Not an approved programme: {', '.join(unknown)}.")
    return list(dict.fromkeys(value))


def section_fields(deployment: Deployment, key: str) -> tuple[Field, ...]:
    """The fields this deployment's section asks: the MAT-only scope fields
    (`MAT_ONLY_FIELDS`) only for a school in a multi-academy trust, where the
    Trust CEO confirmation is required too."""
    fields = SECTIONS[key].fields
    if key == "scope" and not _in_multi_academy_trust(deployment):
        fields = tuple(
            replace(f, required=False) if f.name == "through_trust_ceo_confirmed" else f
            for f in fields
            if f.name not in MAT_ONLY_FIELDS
        )
    return fields


def section_saved_fields(key: str, values: dict) -> str:
    """The saved fields as people read them, in the form's order (for the history)."""
    section = SECTIONS[key]
    names = [f.label for f in section.fields if f.name in values]
    known = {f.name for f in section.fields}
    names += [name.replace("_", " ") for name in sorted(values) if name not in known]
    return "; ".join(names)


def section_clean(deployment: Deployment, key: str, given: dict) -> tuple[dict, dict]:
    """(cleaned values, errors by field) for the fields present in `given`.
    Unknown fields are errors; empty values clear a field."""
    section = SECTIONS[key]
    names = {f.name for f in section_fields(deployment, key)}
    cleaned, errors = {}, {}
    for name, value in given.items():
        if name not in names:
            errors[name] = [NOT_ASKED if name in MAT_ONLY_FIELDS else NOT_IN_SECTION]
            continue
        spec = section.field(name)
        if _clears(spec, value):
            cleaned[name] = [] if spec.kind in ("focus_areas", "programmes") else None
            continue
        try:
            cleaned[name] = _clean_value(spec, value, deployment)
        except ValidationError as exc:
            errors[name] = exc.messages
    return cleaned, errors


def section_data(deployment: Deployment, key: str) -> dict:
    """The saved values of a section (bank details: masked only)."""
    if key == "bank_details":
        bank = _bank_details(deployment)
        return {
            "account_name": bank.account_name if bank else "",
            "sort_code_masked": bank.sort_code_masked if bank else "",
            "account_number_masked": bank.account_number_masked if bank else "",
        }
    row = next((s for s in _section_rows(deployment) if s.key == key), None)
    return dict(row.data) if row else {}


def _bank_details(deployment: Deployment) -> BankDetails | None:
    """The bank details the selector prefetched, else one query."""
    if Deployment.bank_details.is_cached(deployment):
        try:
            return deployment.bank_details
        except BankDetails.DoesNotExist:
            return None
    return BankDetails.objects.filter(deployment=deployment).first()


def _section_rows(deployment: Deployment):
    cache = getattr(deployment, "_prefetched_objects_cache", {})
    if "sections" in cache:
        return list(cache["sections"])
    return list(DeploymentSection.objects.filter(deployment=deployment))


def _in_multi_academy_trust(deployment: Deployment) -> bool:
    from schools.models import Trust

    school = deployment.school
    return bool(school and school.trust_id and school.trust.kind == Trust.Kind.MULTI_ACADEMY)


def section_missing(deployment: Deployment, key: str, data: dict | None = None) -> list[str]:
    """The required fields still empty (or not yet as the rules need them)."""
    data = section_data(deployment, key) if data is None else data
    if key == "bank_details":
        present = {
            "account_name": data.get("account_name"),
            "sort_code": data.get("sort_code_masked"),
            "account_number": data.get("account_number_masked"),
        }
        return [name for name, value in present.items() if is_empty(value)]
    fields = section_fields(deployment, key)
    missing = [f.name for f in fields if f.required and is_empty(data.get(f.name))]
    if key == "scope" and _in_multi_academy_trust(deployment):
        if data.get("through_trust_ceo_confirmed") is False:
            missing.append("through_trust_ceo_confirmed")
        if data.get("support_level") == "school" and data.get(_SELF_ASSESSED) is False:
            missing.append(_SELF_ASSESSED)  # school-level support only once it was discussed
    if key == "closure" and data.get("all_activities_completed") is False:
        if is_empty(data.get("not_completed_reason")):
            missing.append("not_completed_reason")
    if key == "declaration" and data.get("confirmed") is False:
        missing.append("confirmed")
    if key == "claim" and not is_empty(data.get("days")):
        if Decimal(data["days"]) > deployment.claim_cap_days:
            missing.append("days")
    return missing


EARLY = (Deployment.State.ISSUED, Deployment.State.ENGAGED)
BEFORE_SIGN_OFF = (*EARLY, Deployment.State.DELIVERY)


def section_statuses(deployment: Deployment) -> dict[str, str]:
    """Each section's task list status, in form order."""
    statuses = {}
    reopened = set(deployment.reopened_sections or [])
    for key in SECTION_KEYS:
        data = section_data(deployment, key)
        if key in ("mid_review", "closure", "claim") and deployment.state in EARLY:
            status = CANNOT_START_YET
        elif key == "school_confirmation" and deployment.state in BEFORE_SIGN_OFF:
            status = CANNOT_START_YET
        elif key == "declaration" and any(
            statuses[k] != COMPLETED for k in DECLARATION_PREREQUISITES
        ):
            status = CANNOT_START_YET
        elif all(is_empty(v) for v in data.values()):
            status = NOT_STARTED
        elif section_missing(deployment, key, data) or key in reopened:
            status = IN_PROGRESS
        else:
            status = COMPLETED
        statuses[key] = status
    return statuses


def section_edit_problem(deployment: Deployment, key: str) -> str:
    """Why this section cannot be written now ("" when it can)."""
    if deployment.is_paused:
        return "This deployment is paused: it is read-only until it resumes."
    state = deployment.state
    if key == "school_confirmation":
        if state != Deployment.State.SCHOOL_SIGN_OFF:
            return "The school or trust confirms once the system leader sends the form to them."
        return ""
    if key == "declaration" and state == Deployment.State.SIGNED:
        # A form the school signed before the leader's declaration came first
        # (the order until session 30) is declared now, then submitted.
        if section_statuses(deployment)["declaration"] != COMPLETED:
            return ""
    if state not in BEFORE_SIGN_OFF:
        label = deployment.get_state_display()
        return f"This section cannot be changed now: the deployment is at “{label}”."
    if key in ("mid_review", "closure", "claim") and state in EARLY:
        return "This section opens once scoping is done and delivery has started."
    if key == "declaration" and section_statuses(deployment)["declaration"] == CANNOT_START_YET:
        return "Complete sections 1 to 6 first: you sign before the school or trust does."
    return ""


def section_permission(key: str) -> str:
    """The `rules` permission that writes a section."""
    if SECTIONS[key].writer == "contact":
        return "deployments.sign_off_deployment"
    return "deployments.lead_deployment"


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
