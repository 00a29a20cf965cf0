"""Role predicates for `rules`. Apps combine these into permissions in their own
rules.py, so that HTML views and the API check the same permission name."""

import rules

from portal.models import Role


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_regions_staff = _has_role(Role.REGIONS_STAFF)
is_regional_director = _has_role(Role.REGIONAL_DIRECTOR)
is_rdp = _has_role(Role.RDP)
is_system_leader = _has_role(Role.SYSTEM_LEADER)
is_school_contact = _has_role(Role.SCHOOL_CONTACT)
is_finance = _has_role(Role.FINANCE)


@rules.predicate
def is_admin(user):
    return bool(user and user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser))


is_signed_in = rules.is_authenticated & rules.is_active
is_dfe = is_admin | is_regions_staff | is_regional_director | is_finance
is_regional_team = is_admin | is_regions_staff | is_regional_director | is_rdp


def region_of(obj):
    """The region id an object belongs to, for region-scoped checks."""
    if obj is None:
        return None
    if hasattr(obj, "region_id"):
        return obj.region_id
    if hasattr(obj, "school") and obj.school is not None:
        return obj.school.region_id
    return None


@rules.predicate
def works_in_objects_region(user, obj):
    region_id = region_of(obj)
    return region_id is not None and region_id in user.region_ids


@rules.predicate
def created_the_object(user, obj):
    return obj is not None and getattr(obj, "created_by_id", None) == user.id
