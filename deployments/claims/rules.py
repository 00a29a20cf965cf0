"""Who may see and decide claims, payment runs and spend: one `rules` name per
action, shared by the HTML pages and the API.

Only DfE finance decides claims, starts payment runs and downloads payment
files. Regions Group staff read the claims of their regions, a system leader
their own. Admin may read claims and spend (the contract: "Admin may read
everything") but takes no transition and never sees a payment file. Without an
object, a predicate answers "could this person ever" (menus, list pages)."""

import rules

from portal.predicates import (
    in_users_regions,
    is_admin,
    is_finance,
    is_regions_staff,
    is_signed_in,
    is_system_leader,
)

claim_in_users_region = in_users_regions


@rules.predicate(name="is_the_claims_system_leader")
def claims_own_claim(user, claim):
    if claim is None:
        return True
    return claim.system_leader.user_id == user.id


@rules.predicate
def did_not_decide(user, claim):
    """Undoing a decision takes a second pair of eyes."""
    if claim is None:
        return True
    return claim.decided_by_id != user.id


finance = is_signed_in & is_finance & ~is_admin

rules.add_perm(
    "deployments.read_claim",
    is_signed_in
    & (
        finance
        | is_admin
        | (is_regions_staff & claim_in_users_region)
        | (is_system_leader & claims_own_claim)
    ),
)
rules.add_perm("deployments.decide_claim", finance)
rules.add_perm("deployments.undo_claim_decision", finance & did_not_decide)
rules.add_perm("deployments.resubmit_claim", is_signed_in & is_system_leader & claims_own_claim)
rules.add_perm("deployments.export_claims", finance)
rules.add_perm("deployments.view_payment_run", finance)
rules.add_perm("deployments.start_payment_run", finance)
rules.add_perm("deployments.download_payment_file", finance)
rules.add_perm("deployments.view_spend", finance | (is_signed_in & is_admin))
