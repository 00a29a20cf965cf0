"""Celery tasks for deployments: thin, they call a service."""

from celery import shared_task


@shared_task(name="deployments.deployments_notify_overdue", acks_late=True)
def deployments_notify_overdue_task() -> int:
    from deployments.delivery.services import deployments_notify_overdue

    return deployments_notify_overdue()
