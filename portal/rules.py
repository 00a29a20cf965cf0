"""Permissions owned by the portal app (background jobs, admin)."""

import rules

from portal.predicates import created_the_object, is_admin, is_signed_in

rules.add_perm("portal.view_job", is_signed_in & (is_admin | created_the_object))
rules.add_perm("portal.use_admin", is_admin)
rules.add_perm("portal.use_api_docs", is_signed_in)
