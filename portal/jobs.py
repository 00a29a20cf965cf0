"""The progress pattern: a registry of job runners, and the jobs a user may follow.

An app registers a runner for a job kind (`register("schools.import", run_import)`).
A service creates a BackgroundJob and queues `portal.tasks.job_run_task`; the task
calls `portal.services.job_run`, which calls the runner with the job and a
`portal.services.Progress` it reports through. A page polls `/jobs/<id>/progress/`
(or the API polls `/api/jobs/<id>/`) until it finishes.
"""

from collections.abc import Callable

from django.db.models import Q

Runner = Callable[..., dict]  # (job, progress) -> the job's result

_RUNNERS: dict[str, Runner] = {}
_VIEW_PERMISSIONS: dict[str, str] = {}


def register(kind: str, view_permission: str | None = None):
    """Register a runner for a job kind. Users holding `view_permission` may
    follow every job of that kind (its creator and admins always may)."""

    def decorator(func: Runner) -> Runner:
        _RUNNERS[kind] = func
        if view_permission:
            _VIEW_PERMISSIONS[kind] = view_permission
        return func

    return decorator


def view_permission_for(kind: str) -> str | None:
    return _VIEW_PERMISSIONS.get(kind)


def job_view_permissions() -> dict[str, str]:
    return dict(_VIEW_PERMISSIONS)


def runner_for(kind: str) -> Runner:
    try:
        return _RUNNERS[kind]
    except KeyError:
        raise LookupError(f"No job runner is registered for {kind!r}.") from None


def job_list_for(user):
    """The jobs `user` may follow: their own, and every job of a kind they may view."""
    from portal.models import BackgroundJob

    jobs = BackgroundJob.objects.select_related("created_by")
    if user.has_perm("portal.use_admin"):
        return jobs
    kinds = [kind for kind, perm in job_view_permissions().items() if user.has_perm(perm)]
    return jobs.filter(Q(created_by=user) | Q(kind__in=kinds))
