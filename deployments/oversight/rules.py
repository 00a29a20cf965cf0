"""Who may see the oversight pages (dashboard, outcomes, forecast): one rule,
shared by the HTML pages and the API (`/api/dashboard/`, `/api/outcomes/`,
`/api/forecast/`).

Regions Group staff, DfE finance and Admin may ask for England or any region; a
Regional Director or an RDP only for one of their own regions (another region,
or no region at all, is refused); system leaders and school or trust contacts
never (they have their own page, `view_own_dashboard`).

`deployments.open_oversight` takes no object: may this person's role see the
oversight of some region (the navigation, and the 403 before a query is read).
`deployments.view_oversight` takes the `schools.Region` asked for, or None for
all of England: unlike most predicates, None here is not "for some record" but
the national view, which a Regional Director may not see."""

import rules

from portal import scoping
from portal.predicates import (
    is_admin,
    is_finance,
    is_rdp,
    is_regional_director,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
    is_system_leader,
)


@rules.predicate(name="one_of_their_regions")
def asks_for_one_of_their_regions(user, region) -> bool:
    """The region asked for (a Region; None is all of England) is one of the user's."""
    return region is not None and scoping.region_in_users_regions(user, region.pk)


sees_every_region = is_regions_staff | is_finance | is_admin
sees_own_regions = is_regional_director | is_rdp

rules.add_perm("deployments.open_oversight", is_signed_in & (sees_every_region | sees_own_regions))
rules.add_perm(
    "deployments.view_oversight",
    is_signed_in & (sees_every_region | (sees_own_regions & asks_for_one_of_their_regions)),
)
rules.add_perm(
    "deployments.view_own_dashboard", is_signed_in & (is_system_leader | is_school_contact)
)


def could_see_oversight(user) -> bool:
    """Whether the user's role sees oversight of some region (refuse the rest
    with 403 before reading their query)."""
    return user.has_perm("deployments.open_oversight")
