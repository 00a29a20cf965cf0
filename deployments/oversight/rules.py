"""Who may see the oversight figures (dashboard, outcomes, forecast) of a region,
or of all of England: one `rules` name shared by the HTML pages and the API.

The object is the `schools.Region` asked for, or None for all of England (the
national view). Regions Group staff, DfE finance and Admin may ask for England
or any region; a Regional Director or an RDP only for one of their own regions
(another region, or no region at all, is refused); system leaders and school
contacts never. Unlike most predicates, None here is not "for some record": it
is the national view, which a Regional Director may not see."""

import rules

from portal.predicates import (
    is_admin,
    is_finance,
    is_rdp,
    is_regional_director,
    is_regions_staff,
    is_signed_in,
)


@rules.predicate(name="one_of_their_regions")
def asks_for_one_of_their_regions(user, region) -> bool:
    """The region asked for (a Region; None is all of England) is one of the user's."""
    return region is not None and region.pk in user.region_ids


sees_every_region = is_regions_staff | is_finance | is_admin
sees_own_regions = is_regional_director | is_rdp

rules.add_perm(
    "deployments.view_oversight",
    is_signed_in & (sees_every_region | (sees_own_regions & asks_for_one_of_their_regions)),
)


def could_see_oversight(user) -> bool:
    """Whether the user's role sees oversight of some region (refuse the rest
    with 403 before reading their query)."""
    return bool(is_signed_in(user) and (sees_every_region(user) or sees_own_regions(user)))
