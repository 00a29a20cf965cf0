"""Who may read the dashboards: one `rules` name per page, shared by the HTML
pages and `GET /api/dashboard/`.

Regions Group staff, DfE finance and Admin read England or any region; a
Regional Director or an RDP only one of their own regions (all of England, or
another region: 403). System leaders and school or trust contacts have their
own page (their cases, deployments and claims) and never the oversight one.
The object is a `selectors.DashboardScope`; without one a predicate answers
"could this person ever" (the navigation)."""

import rules

from portal.predicates import (
    in_users_regions_by,
    is_admin,
    is_finance,
    is_rdp,
    is_regional_director,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
    is_system_leader,
)

dashboard_region_is_theirs = in_users_regions_by(
    lambda scope: scope.region_id, name="the_dashboards_region_is_one_of_theirs"
)

rules.add_perm(
    "deployments.view_dashboard",
    is_signed_in
    & (
        is_regions_staff
        | is_finance
        | is_admin
        | ((is_regional_director | is_rdp) & dashboard_region_is_theirs)
    ),
)
rules.add_perm(
    "deployments.view_own_dashboard", is_signed_in & (is_system_leader | is_school_contact)
)
