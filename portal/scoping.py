"""Who acts for a school or trust, and what is in a user's regions: one home.

"The school's contact" is its own contacts and its trust's contacts (a Trust
CEO's office acts for every school in the trust: shared/api-contract.md,
conventions). Every `rules` predicate (through `portal.predicates`), list
selector and e-mail recipient list reads these functions, so the rule is
written once.

Targets are duck-typed: a school has `trust_id` and is a `schools.School`; a
trust is a `schools.Trust`. Records about a school or a trust (support cases,
deployments, complaints, self-assessments) and records about a deployment
(enhanced requests, claims) are resolved with `target_of`.
"""

from django.apps import apps
from django.db.models import Q, QuerySet


def _school_model():
    return apps.get_model("schools", "School")


def _trust_model():
    return apps.get_model("schools", "Trust")


def _nothing() -> Q:
    return Q(pk__in=[])


def _is_contact(user) -> bool:
    from portal.models import Role

    return bool(
        user and user.is_authenticated and user.is_active and user.role == Role.SCHOOL_CONTACT
    )


def target_of(record):
    """The school or trust a record is about (the record itself if it is one;
    a record about a deployment is about the deployment's school or trust)."""
    if record is None:
        return None
    if isinstance(record, _school_model() | _trust_model()):
        return record
    school = getattr(record, "school", None)
    if school is not None:
        return school
    trust = getattr(record, "trust", None)
    if trust is not None:
        return trust
    deployment = getattr(record, "deployment", None)
    return target_of(deployment) if deployment is not None else None


def contacts_of(target) -> QuerySet:
    """Active school/trust contacts who act for `target` (a school, a trust, or
    a record about one): for a school, its own contacts and its trust's."""
    from portal.models import Role, User

    target = target_of(target)
    users = User.objects.filter(role=Role.SCHOOL_CONTACT, is_active=True)
    if target is None:
        return users.none()
    if isinstance(target, _school_model()):
        q = Q(school_id=target.pk)
        if target.trust_id:
            q |= Q(trust_id=target.trust_id)
        return users.filter(q)
    return users.filter(trust_id=target.pk)


def contact_emails(target) -> list[str]:
    """The addresses of `contacts_of(target)`, sorted, without blanks or repeats:
    the one recipient list for "e-mail the school"."""
    return sorted(set(contacts_of(target).exclude(email="").values_list("email", flat=True)))


def acts_for(user, target) -> bool:
    """The user is one of `contacts_of(target)` (no query: reads the user's keys)."""
    if not _is_contact(user):
        return False
    target = target_of(target)
    if target is None:
        return False
    if isinstance(target, _school_model()):
        if user.school_id and user.school_id == target.pk:
            return True
        return bool(user.trust_id and target.trust_id and user.trust_id == target.trust_id)
    return bool(user.trust_id and user.trust_id == target.pk)


def acts_for_q(
    user, *, school_field: str | None = "school", trust_field: str | None = "trust"
) -> Q:
    """A filter for records about a school (`school_field`) or a trust
    (`trust_field`; either None when the records are never about one, as a
    grant's partner trust is only a trust) that `user` acts for. Matches nothing
    for a user who is no (active) contact."""
    q = _nothing()
    if not _is_contact(user):
        return q
    if user.school_id and school_field:
        q |= Q(**{f"{school_field}_id": user.school_id})
    if user.trust_id:
        if school_field:
            q |= Q(**{f"{school_field}__trust_id": user.trust_id})
        if trust_field:
            q |= Q(**{f"{trust_field}_id": user.trust_id})
    return q


def schools_acted_for_q(user) -> Q:
    """`acts_for_q` on the schools themselves: the contact's school, or every
    school in the contact's trust."""
    q = _nothing()
    if not _is_contact(user):
        return q
    if user.school_id:
        q |= Q(pk=user.school_id)
    if user.trust_id:
        q |= Q(trust_id=user.trust_id)
    return q


def region_in_users_regions(user, region_id) -> bool:
    """The region (an id, or None for "no region") is one of the user's."""
    return region_id is not None and region_id in user.region_ids


def any_in_users_regions(user, region_ids) -> bool:
    """One of these regions (ids) is one of the user's (for records, such as a
    system leader, that work in several regions)."""
    return bool(set(region_ids) & user.region_ids)


def in_users_regions(user, obj) -> bool:
    """The object (anything with a `region_id`) is in one of the user's regions."""
    return region_in_users_regions(user, getattr(obj, "region_id", None))


def in_users_regions_q(user, field: str = "region") -> Q:
    """A filter for rows whose `field` is one of the user's regions."""
    return Q(**{f"{field}_id__in": sorted(user.region_ids)})
