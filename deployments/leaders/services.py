"""Writes for the system-leader register. Callers (views, API) have checked
`deployments.add_system_leader` / `deployments.change_system_leader`; these
functions check what depends on the values: the role of the account, the base
that matches the kind, the vocabularies, and what a leader may change on their
own profile."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader
from portal.models import Role

NOT_A_SYSTEM_LEADER_ACCOUNT = "This user's role is not system leader."
ALREADY_REGISTERED = "This user already has a system-leader profile."
MAT_CEO_NEEDS_TRUST = "A MAT CEO leads a trust: give its group UID."
MAT_CEO_NO_SCHOOL = "A MAT CEO is registered by their trust, not a school."
NLE_NEEDS_SCHOOL = "An NLE leads a school: give its URN."
NLE_NO_TRUST = "An NLE is registered by their school, not a trust."
WIDER_TEAM_NLE_ONLY = "Only an NLE needs DfE's agreement to use their wider team."
REGIONS_REQUIRED = "Choose at least one region the system leader will work in."
CAPACITY_AT_LEAST_ONE = "A system leader takes at least one deployment at a time."
REGIONS_OUTSIDE_YOURS = "You can add or move system leaders only into regions you work in."
SELF_EDIT_ONLY = (
    "On your own profile you can change your availability, capacity, focus areas "
    "and conflicts only; Regions Group staff change the rest."
)

# The fields a service call may set, besides `regions`.
FIELDS = (
    "kind",
    "trust",
    "school",
    "phases",
    "focus_areas",
    "max_concurrent_deployments",
    "days_available",
    "available",
    "conflict_schools",
    "conflict_trusts",
    "wider_team_agreed",
)
M2M_FIELDS = ("regions", "conflict_schools", "conflict_trusts")


def _keys(values, choices, field: str) -> list[str]:
    """Known keys, deduplicated, in the vocabulary's order."""
    values = list(values or [])
    unknown = sorted({v for v in values if v not in choices.values})
    if unknown:
        raise ValidationError({field: f"Unknown {field.replace('_', ' ')}: {', '.join(unknown)}."})
    return [key for key in choices.values if key in values]


def _check(leader: SystemLeader, regions) -> None:
    errors = {}
    if leader.kind == SystemLeader.Kind.MAT_CEO:
        if leader.trust_id is None:
            errors["trust_uid"] = MAT_CEO_NEEDS_TRUST
        if leader.school_id is not None:
            errors["school_urn"] = MAT_CEO_NO_SCHOOL
        if leader.wider_team_agreed:
            errors["wider_team_agreed"] = WIDER_TEAM_NLE_ONLY
    elif leader.kind == SystemLeader.Kind.NLE:
        if leader.school_id is None:
            errors["school_urn"] = NLE_NEEDS_SCHOOL
        if leader.trust_id is not None:
            errors["trust_uid"] = NLE_NO_TRUST
    else:
        errors["kind"] = "Choose MAT CEO or NLE."
    if regions is not None and not list(regions):
        errors["regions"] = REGIONS_REQUIRED
    if (leader.max_concurrent_deployments or 0) < 1:
        errors["max_concurrent_deployments"] = CAPACITY_AT_LEAST_ONE
    if errors:
        raise ValidationError(errors)


def _check_staff_regions(user, regions) -> None:
    """Regions Group staff place leaders in their own regions (at least one of them)."""
    if user is None or user.role != Role.REGIONS_STAFF:
        return
    if not {region.pk for region in regions} & user.region_ids:
        raise PermissionDenied(REGIONS_OUTSIDE_YOURS)


@transaction.atomic
def system_leader_create(
    *,
    user,
    leader_user,
    kind: str,
    regions,
    trust=None,
    school=None,
    phases=(),
    focus_areas=(),
    max_concurrent_deployments: int = 1,
    days_available: int = 10,
    available: bool = True,
    conflict_schools=(),
    conflict_trusts=(),
    wider_team_agreed: bool = False,
) -> SystemLeader:
    """Register an existing system-leader account as a MAT CEO or NLE."""
    if leader_user.role != Role.SYSTEM_LEADER:
        raise ValidationError({"user_email": NOT_A_SYSTEM_LEADER_ACCOUNT})
    if SystemLeader.objects.filter(user=leader_user).exists():
        raise ValidationError({"user_email": ALREADY_REGISTERED})
    regions = list(regions)
    leader = SystemLeader(
        user=leader_user,
        kind=kind,
        trust=trust,
        school=school,
        phases=_keys(phases, Phase, "phases"),
        focus_areas=_keys(focus_areas, FocusArea, "focus_areas"),
        max_concurrent_deployments=max_concurrent_deployments,
        days_available=days_available,
        available=available,
        wider_team_agreed=wider_team_agreed,
    )
    _check(leader, regions)
    _check_staff_regions(user, regions)
    leader.save()
    leader.regions.set(regions)
    leader.conflict_schools.set(conflict_schools)
    leader.conflict_trusts.set(conflict_trusts)
    return leader


@transaction.atomic
def system_leader_update(leader: SystemLeader, *, user, **changes) -> SystemLeader:
    """Change a leader's profile. `changes` holds any of FIELDS and `regions`.

    A system leader changing their own profile may set only
    `SystemLeader.SELF_EDITABLE`; anything else is refused (PermissionDenied,
    403): the request is well formed, but not theirs to make."""
    unknown = set(changes) - set(FIELDS) - {"regions"}
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    if user is not None and user.role == Role.SYSTEM_LEADER:
        refused = sorted(set(changes) - set(SystemLeader.SELF_EDITABLE))
        if refused:
            raise PermissionDenied(f"{SELF_EDIT_ONLY} Refused: {', '.join(refused)}.")
    leader = SystemLeader.objects.select_for_update().get(pk=leader.pk)
    for name, value in changes.items():
        if name in M2M_FIELDS:
            continue
        if name == "phases":
            value = _keys(value, Phase, "phases")
        elif name == "focus_areas":
            value = _keys(value, FocusArea, "focus_areas")
        setattr(leader, name, value)
    regions = list(changes["regions"]) if "regions" in changes else None
    _check(leader, regions)
    if regions is not None:
        _check_staff_regions(user, regions)
    leader.save()
    if regions is not None:
        leader.regions.set(regions)
    for name in ("conflict_schools", "conflict_trusts"):
        if name in changes:
            getattr(leader, name).set(changes[name])
    return leader
