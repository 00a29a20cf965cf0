"""Permissions for offers and eligibility, shared by the HTML views and the API.

Object checks take the school or trust (for assessments and requests) or the
exception request (for approval). Without an object a check answers "may this
person use the action at all", which the views use to show forms and links;
every write checks again with the object."""

import rules

from deployments.selectors import target_region_id
from portal.predicates import (
    is_admin,
    is_regional_director,
    is_regional_team,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
)


@rules.predicate
def target_in_users_region(user, target):
    if target is None:
        return True
    region_id = target_region_id(target)
    return region_id is not None and region_id in user.region_ids


@rules.predicate
def is_contact_of_target(user, target):
    if target is None:
        return True
    from schools.models import School, Trust

    if isinstance(target, School):
        return user.school_id == target.pk
    if isinstance(target, Trust):
        return user.trust_id == target.pk
    return False


@rules.predicate
def request_in_users_region(user, request):
    if request is None:
        return True
    return request.region_id in user.region_ids


rules.add_perm("deployments.view_eligibility", is_signed_in)
rules.add_perm("deployments.view_offer", is_signed_in)
rules.add_perm(
    "deployments.record_rd_assessment",
    is_signed_in & is_regional_director & target_in_users_region,
)
rules.add_perm(
    "deployments.request_exception",
    is_signed_in
    & (
        is_admin
        | (is_regional_team & target_in_users_region)
        | (is_school_contact & is_contact_of_target)
    ),
)
rules.add_perm(
    "deployments.approve_exception",
    is_signed_in & is_regions_staff & request_in_users_region,
)
rules.add_perm("deployments.start_recompute", is_signed_in & (is_admin | is_regions_staff))

# Deployment permissions live with the deployment code.
from deployments.claims import rules as _claim_rules  # noqa: E402, F401
from deployments.delivery import rules as _delivery_rules  # noqa: E402, F401
