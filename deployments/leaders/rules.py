"""Who may see and change the system-leader register (imported by deployments/rules.py).

Without an object a check answers "may this person use the action at all"
(lists, forms, links); with a leader it answers for that leader. Admin reads
and writes the register (reference data); Regions Group staff add and change
leaders who work in their regions; Regional Directors and RDPs see those
leaders; a system leader sees and changes their own profile (the fields of
`SystemLeader.SELF_EDITABLE`, enforced by the service)."""

import rules

from portal import scoping
from portal.predicates import (
    is_admin,
    is_rdp,
    is_regional_director,
    is_regions_staff,
    is_signed_in,
    is_system_leader,
)


@rules.predicate(name="in_the_users_regions")
def leader_in_users_regions(user, leader):
    """The leader works in one of the user's regions."""
    if leader is None:
        return True
    return scoping.any_in_users_regions(user, (region.pk for region in leader.regions.all()))


@rules.predicate(name="is_that_system_leader")
def is_the_leader(user, leader):
    if leader is None:
        return True
    return leader.user_id == user.pk


regional_viewer = is_regions_staff | is_regional_director | is_rdp

rules.add_perm(
    "deployments.view_system_leader",
    is_signed_in
    & (is_admin | (regional_viewer & leader_in_users_regions) | (is_system_leader & is_the_leader)),
)
rules.add_perm("deployments.add_system_leader", is_signed_in & (is_admin | is_regions_staff))
rules.add_perm(
    "deployments.change_system_leader",
    is_signed_in
    & (
        is_admin | (is_regions_staff & leader_in_users_regions) | (is_system_leader & is_the_leader)
    ),
)
rules.add_perm("deployments.edit_own_system_leader_profile", is_signed_in & is_system_leader)
# The register as a list to browse (navigation): a system leader has "My profile" instead.
rules.add_perm("deployments.browse_system_leaders", is_signed_in & (is_admin | regional_viewer))
