"""Permissions for the schools register."""

import rules

from portal.predicates import is_admin, is_regions_staff, is_signed_in

rules.add_perm("schools.view_register", is_signed_in)
rules.add_perm("schools.import_data", is_signed_in & (is_admin | is_regions_staff))
