"""The one overdue sweep for every workflow (a Celery beat task each morning)."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.notify import email_queue
from portal.workflow import timeline_record
from portal.workflow_spec import current_step, must_act_emails, spec_for, workflow_specs

REMIND_EVERY = dt.timedelta(days=7)


def workflow_notify_overdue(*, today: dt.date | None = None) -> int:
    """E-mail whoever must act on each overdue step, by every workflow's table.

    Policy (one for every workflow): a step is overdue the day after its
    `due_on` while its record is in a state where someone must act (and, for a
    paused deployment, not while its clock is stopped). The step's actor, whoever
    may act for them, and the workflow's copies are e-mailed once when the step
    becomes overdue, then once a week (every 7 days) while it stays overdue;
    never twice the same day, however often the sweep runs. Every transition
    clears the notice, so the next step is chased afresh. Each record is claimed
    by one conditional UPDATE of `overdue_notified_on` before its e-mail is
    queued, so two sweeps running at once send one e-mail. Returns how many
    records were chased."""
    today = today or timezone.localdate()
    not_recently = Q(overdue_notified_on__isnull=True) | Q(
        overdue_notified_on__lte=today - REMIND_EVERY
    )
    chased = 0
    for model, spec in workflow_specs().items():
        overdue = model._default_manager.filter(spec.overdue_q(today)).filter(not_recently)
        for record in overdue.order_by("pk").iterator(chunk_size=200):
            state = getattr(record, spec.state_field)
            with transaction.atomic():
                claimed = model._default_manager.filter(
                    not_recently,
                    pk=record.pk,
                    due_on=record.due_on,
                    **{spec.state_field: state},
                ).update(overdue_notified_on=today)
                if not claimed:
                    continue
                record.overdue_notified_on = today
                timeline_record(
                    record,
                    name="overdue",
                    by_label="The portal",
                    note=f"Due by {record.due_on:%-d %B %Y}.",
                )
                _overdue_email(record, today)
            chased += 1
    return chased


def _overdue_email(record, today: dt.date) -> None:
    spec = spec_for(record)
    label = _state_label(record, spec.state_field)
    email_queue(
        to=must_act_emails(record),
        template=spec.overdue_template,
        context=spec.context(
            record,
            step=label,
            what_to_do=current_step(record).queue_label,
            days_late=(today - record.due_on).days,
        ),
    )


def _state_label(record, state_field: str) -> str:
    display = getattr(record, f"get_{state_field}_display", None)
    return display() if display else getattr(record, state_field)
