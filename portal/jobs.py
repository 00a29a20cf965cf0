"""The progress pattern: a registry of job runners.

An app registers a runner for a job kind (`register("schools.import", run_import)`).
A service creates a BackgroundJob and queues `portal.tasks.job_run_task`; the task
calls the runner with the job and a `Progress` it reports through. A page polls
`/jobs/<id>/progress/` (or the API polls `/api/jobs/<id>/`) until it finishes.
"""

from collections.abc import Callable

from portal.models import BackgroundJob

Runner = Callable[[BackgroundJob, "Progress"], dict]

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


class Progress:
    """Reports progress for one job. Call it outside atomic blocks so that the
    polling page can see each step as it is committed."""

    def __init__(self, job: BackgroundJob, every: int = 1):
        self.job = job
        self.every = max(1, every)

    def total(self, total: int, message: str = "") -> None:
        from portal.services import job_progress_set

        job_progress_set(job=self.job, progress=0, total=total, message=message)

    def advance(self, done: int, message: str = "", force: bool = False) -> None:
        from portal.services import job_progress_set

        if force or done % self.every == 0 or done >= self.job.total:
            job_progress_set(job=self.job, progress=done, message=message)
