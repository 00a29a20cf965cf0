"""Thin Celery tasks: each calls a service."""

from celery import shared_task


@shared_task(name="guarantees.complaints_remind_overdue")
def complaints_remind_overdue_task() -> int:
    from guarantees.services import complaints_remind_overdue

    return complaints_remind_overdue()
