"""Permissions for support cases, shared by the HTML views and the API.

One permission per transition (`deployments.case_<transition>`), each naming
who the contract's table says may take it. Admin reads every case but takes no
transition, so no transition rule includes it. Checks without an object (for
links and menus) answer "could this role ever do it"; every write checks again
with the case."""

import rules

from portal.predicates import (
    acts_for_the_school_or_trust,
    in_users_regions,
    is_admin,
    is_rdp,
    is_regional_director,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
    is_system_leader,
)

case_in_users_region = in_users_regions
eligibility_in_users_region = in_users_regions


@rules.predicate
def is_cases_system_leader(user, case):
    """The leader proposed on this case, once they have been asked."""
    if case is None:
        return True
    leader = case.system_leader
    return leader is not None and leader.user_id == user.pk and case.leader_asked_on is not None


@rules.predicate(name="once_the_rdp_has_contacted_the_school")
def school_was_contacted(user, case):
    """The RDP has recorded contacting the school or trust: a contact sees the
    case (and takes its steps) only from then on."""
    if case is None:
        return True
    return case.school_contacted_on is not None


# The school's (or its trust's) contact, once the RDP has contacted them.
is_cases_contact = acts_for_the_school_or_trust & school_was_contacted

regional_staff_here = is_regions_staff & case_in_users_region
rdp_here = is_rdp & case_in_users_region
director_here = is_regional_director & case_in_users_region
contact_or_rdp = (is_school_contact & is_cases_contact) | rdp_here

rules.add_perm(
    "deployments.view_support_case",
    is_signed_in
    & (
        is_admin
        | ((is_regions_staff | is_regional_director | is_rdp) & case_in_users_region)
        | (is_system_leader & is_cases_system_leader)
        | (is_school_contact & is_cases_contact)
    ),
)
rules.add_perm(
    "deployments.view_case_candidates",
    is_signed_in
    & (is_admin | ((is_regions_staff | is_regional_director | is_rdp) & case_in_users_region)),
)
rules.add_perm("deployments.view_overdue_cases", is_signed_in & (is_regions_staff | is_rdp))
rules.add_perm(
    "deployments.case_open", is_signed_in & is_regions_staff & eligibility_in_users_region
)
rules.add_perm("deployments.case_reassign_owner", is_signed_in & regional_staff_here)
rules.add_perm(
    "deployments.case_watch",
    is_signed_in & (is_regions_staff | is_regional_director | is_rdp) & case_in_users_region,
)

TRANSITION_RULES = {
    "propose": regional_staff_here,
    "rdp_contacts_school": rdp_here,
    "school_confirms": contact_or_rdp,
    "school_declines": contact_or_rdp,
    "system_leader_accepts": is_system_leader & is_cases_system_leader,
    "system_leader_declines": is_system_leader & is_cases_system_leader,
    "school_accepts_match": contact_or_rdp,
    "school_raises_concern": is_school_contact & is_cases_contact,
    "concern_answered": regional_staff_here,
    "director_approves": director_here,
    "director_rejects": director_here,
    "issue_deployment": rdp_here,
    "withdraw": regional_staff_here,
}
for _name, _predicate in TRANSITION_RULES.items():
    rules.add_perm(f"deployments.case_{_name}", is_signed_in & _predicate)

# Not a transition: Regions Group staff of the region record that they asked
# the LA or diocese to confirm participation (the service allows it in any
# open state).
rules.add_perm("deployments.case_la_contacted", is_signed_in & regional_staff_here)
