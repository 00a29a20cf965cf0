"""Permissions for offers and eligibility, shared by the HTML views and the API.

Object checks take the school or trust (for assessments and requests) or the
record itself (an RD assessment, an exception request, an eligibility row).
Without an object a check answers "may this person use the action at all",
which the views use to show forms and links; every write checks again with the
object, and lists are narrowed by the matching selector
(`deployments.selectors.*_list_for`)."""

import rules

from deployments.selectors import target_region_id
from portal.predicates import (
    acts_for_the_school_or_trust,
    in_users_regions,
    in_users_regions_by,
    is_admin,
    is_regional_director,
    is_regional_team,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
)

# A school's region, or the region of a trust's schools (`target_region_id`).
target_in_users_region = in_users_regions_by(target_region_id)
# The contact of the school or trust, or of the school's trust.
is_contact_of_target = acts_for_the_school_or_trust


@rules.predicate
def requested_it(user, exception_request):
    if exception_request is None:
        return True  # anyone may have made one: their list is narrowed by the selector
    return getattr(exception_request, "requested_by_id", None) == user.id


# Who reads a case record (an RD assessment or an exception request, with its
# free-text reason and the names of the people who acted): Regions Group staff
# and the Regional Director of its region, the school's or trust's own contact,
# and Admin, which reads everything. `selectors.case_record_visibility` is the
# same rule as a query, for lists.
reads_case_record = (
    is_admin
    | ((is_regions_staff | is_regional_director) & in_users_regions)
    | (is_school_contact & is_contact_of_target)
)

rules.add_perm("deployments.view_eligibility", is_signed_in)
rules.add_perm("deployments.view_offer", is_signed_in)
rules.add_perm("deployments.view_rd_assessment", is_signed_in & reads_case_record)
rules.add_perm(
    "deployments.view_exception_request", is_signed_in & (reads_case_record | requested_it)
)
rules.add_perm(
    "deployments.record_rd_assessment",
    is_signed_in & is_regional_director & target_in_users_region,
)
rules.add_perm(
    "deployments.request_exception",
    is_signed_in
    & ((is_regional_team & target_in_users_region) | (is_school_contact & is_contact_of_target)),
)
rules.add_perm(
    "deployments.approve_exception",
    is_signed_in & is_regions_staff & in_users_regions,
)
# A recompute refreshes reference data (no case is decided), so Admin may start one.
rules.add_perm("deployments.start_recompute", is_signed_in & (is_admin | is_regions_staff))

# The system-leader register's permissions live beside it.
import deployments.leaders.rules  # noqa: E402, F401

# Deployment permissions live with the deployment code.
from deployments.claims import rules as _claim_rules  # noqa: E402, F401
from deployments.delivery import rules as _delivery_rules  # noqa: E402, F401

# Support cases keep their permissions beside their model.
from deployments.matching import rules as _matching_rules  # noqa: E402, F401

# Oversight (dashboard, outcomes, forecast) of a region or of England.
from deployments.oversight import rules as _oversight_rules  # noqa: E402, F401
