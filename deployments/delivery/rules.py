"""Who may do what with a deployment, shared by the HTML views and the API.

Objects are deployments (or, for enhanced requests, the request: it answers
`region_id` and `deployment`). Without an object a predicate answers "could
this person ever", which list pages and menus use; every write checks again
with the object. Admin reads everything and takes no workflow step."""

import rules

from portal import scoping
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


def _deployment(obj):
    return getattr(obj, "deployment", obj) if obj is not None else None


@rules.predicate(name="leads_the_deployment")
def leads_deployment(user, obj):
    deployment = _deployment(obj)
    if deployment is None:
        return True
    return deployment.system_leader.user_id == user.id


@rules.predicate(name="contact_of_the_partner_trust")
def partner_trust_contact(user, obj):
    """A contact of the partner trust of a grant (or of an enhanced request's
    grant): one of `portal.scoping.contacts_of` that trust."""
    if obj is None:
        return True
    grant = obj if hasattr(obj, "partner_trust_id") else getattr(obj, "grant", None)
    return grant is not None and scoping.acts_for(user, grant.partner_trust)


# The contact of the deployment's school or trust, or of the school's trust.
contact_of_deployment = acts_for_the_school_or_trust
deployment_in_users_region = in_users_regions

in_region = deployment_in_users_region
regional_reader = (is_regions_staff | is_regional_director | is_rdp) & in_region

deployment_reader = is_signed_in & (
    is_admin
    | regional_reader
    | (is_system_leader & leads_deployment)
    | (is_school_contact & contact_of_deployment)
)
rules.add_perm("deployments.read_deployment", deployment_reader)
# Sections 1-6 and 8, the activity log, the transitions of the system leader.
rules.add_perm("deployments.lead_deployment", is_system_leader & leads_deployment)
# Section 8 (school_confirmation) and `school_signs_off`: only the school's (or trust's) contact.
rules.add_perm("deployments.sign_off_deployment", is_school_contact & contact_of_deployment)
rules.add_perm("deployments.review_deployment", is_rdp & in_region)
rules.add_perm("deployments.manage_deployment", is_regions_staff & in_region)
rules.add_perm("deployments.pause_deployment", (is_regions_staff | is_rdp) & in_region)
# The system leader's own withdrawal, and the delays they report.
rules.add_perm("deployments.system_leader_withdraw_deployment", is_system_leader & leads_deployment)
rules.add_perm("deployments.report_deployment_delay", is_system_leader & leads_deployment)

rules.add_perm("deployments.request_enhanced_support", is_system_leader & leads_deployment)
rules.add_perm("deployments.forward_enhanced_request", is_rdp & in_region)
rules.add_perm("deployments.decide_enhanced_request", is_regions_staff & in_region)
rules.add_perm("deployments.record_grant_evidence", is_regions_staff & in_region)
# Funded partnership grants (objects: the grant, or its enhanced request). The
# partner trust's contacts read the request and its grant, send the
# partnership report and give the trust's bank details.
partner_contact = is_school_contact & partner_trust_contact
rules.add_perm(
    "deployments.read_enhanced_request", deployment_reader | (is_signed_in & partner_contact)
)
rules.add_perm(
    "deployments.send_partnership_report", (is_regions_staff & in_region) | partner_contact
)
rules.add_perm(
    "deployments.change_grant_bank_details", (is_regions_staff & in_region) | partner_contact
)
rules.add_perm(
    "deployments.read_grant_offer_letter",
    is_signed_in
    & (
        is_admin
        | (is_regions_staff & in_region)
        | (is_system_leader & leads_deployment)
        | partner_contact
    ),
)

rules.add_perm(
    "deployments.write_case_study",
    ((is_rdp | is_regions_staff) & in_region) | (is_system_leader & leads_deployment),
)
rules.add_perm("deployments.view_case_study", is_signed_in)
rules.add_perm("deployments.read_programmes", is_signed_in)
