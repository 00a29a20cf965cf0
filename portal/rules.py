"""Permissions owned by the portal app (background jobs, admin)."""

import rules

from portal.predicates import created_the_object, is_admin, is_signed_in


@rules.predicate
def holds_the_jobs_view_permission(user, job):
    from portal.jobs import view_permission_for

    permission = view_permission_for(job.kind) if job is not None else None
    return bool(permission) and user.has_perm(permission)


rules.add_perm(
    "portal.view_job",
    is_signed_in & (is_admin | created_the_object | holds_the_jobs_view_permission),
)
rules.add_perm("portal.view_home", is_signed_in)
rules.add_perm("portal.use_admin", is_signed_in & is_admin)
rules.add_perm("portal.use_api_docs", is_signed_in)
rules.add_perm("portal.manage_users", is_admin)
