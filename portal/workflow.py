"""The one way a workflow record changes state.

Every workflow (support cases, deployments, enhanced requests, claims,
complaints) is a model with a django-fsm-2 `state` field whose transitions
declare who may take them with `permission=rules_permission("app.perm")` and
what must be true with `conditions=[condition("message")(func)]`. A service
function per transition calls `transition_run`, which locks the row, checks in
the contract's order (403: this user may never take it on this record; 409: the
state or an unmet condition does not allow it now), runs the transition,
saves, and records who, when and why in the record's timeline. Then, from
the workflow's table (`portal.workflow_spec`), it sets the new state's
deadline (`due_on`), clears the overdue notice and queues the e-mail the table
declares on entry to the new state (sent on commit). E-mails that are not a
state's hand-off stay with the service.

Pages and the API show `allowed_transitions(record, user)`: only what this user
may do now.
"""

import datetime as dt
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from portal.models import TimelineEvent
from portal.notify import email_queue
from portal.workflow_spec import (
    emailed_sentence,
    party_emails,
    spec_for,
    state_of,
    workflow_due_on,
)

STATE_FIELD = "state"


def _state_field(record) -> str:
    spec = spec_for(record)
    return spec.state_field if spec else STATE_FIELD


class WorkflowConflict(Exception):
    """The record's state, or an unmet condition, does not allow the transition
    now (HTTP 409 in the API, a GOV.UK page saying so in HTML)."""

    def __init__(self, message: str, state: str):
        super().__init__(message)
        self.message = message
        self.state = state


def rules_permission(perm: str) -> Callable:
    """A django-fsm `permission=` that always asks `rules` with the record.

    (django-fsm given a string falls back to `user.has_perm(perm)` without the
    object, which a region-scoped rule would answer too generously.)"""

    def check(instance, user) -> bool:
        return bool(user and user.is_authenticated and user.has_perm(perm, instance))

    check.perm = perm
    return check


def condition(message: str) -> Callable:
    """Decorate a django-fsm condition with the message shown when it is unmet."""

    def decorate(func: Callable) -> Callable:
        func.message = message
        return func

    return decorate


def _transition_meta(record, name: str):
    model = record if isinstance(record, type) else type(record)
    method = getattr(model, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{model.__name__} has no transition {name!r}")
    return method, meta


def transition_target(record, name: str) -> str:
    """The state transition `name` enters: from the record's state, or (given the
    model) the one target all its sources share."""
    _, meta = _transition_meta(record, name)
    if not isinstance(record, type):
        transition = meta.transitions.get(state_of(record)) or meta.transitions.get("*")
        if transition is not None:
            return str(transition.target)
    targets = {str(t.target) for t in meta.transitions.values()}
    if len(targets) != 1:
        raise ValueError(f"{name!r} enters one of {sorted(targets)}: give the record")
    return targets.pop()


def transition_emailed(record, name: str, *, user=None) -> str:
    """Who is e-mailed when `name` is taken on this record, as the sentence a
    check-your-answers page shows (the table's e-mail on entering the target state)."""
    return emailed_sentence(
        spec_for(record), transition_target(record, name), record=record, user=user
    )


def transition_label(record, name: str) -> str:
    """The button text of a transition (its `custom={"label": ...}`)."""
    _, meta = _transition_meta(record, name)
    for transition in meta.transitions.values():
        label = (transition.custom or {}).get("label")
        if label:
            return label
    return name.replace("_", " ").capitalize()


def transition_check(record, name: str, user) -> None:
    """Raise PermissionDenied (403) or WorkflowConflict (409), in that order."""
    _, meta = _transition_meta(record, name)
    state = getattr(record, _state_field(record))
    transitions = list(meta.transitions.values())
    if not any(t.has_perm(record, user) for t in transitions):
        raise PermissionDenied("You cannot take this step on this record.")
    current = meta.get_transition(state)
    if current is None:
        label = record.get_state_display() if hasattr(record, "get_state_display") else state
        raise WorkflowConflict(f"This cannot be done now: the record is at “{label}”.", state=state)
    for cond in current.conditions:
        if not cond(record):
            raise WorkflowConflict(
                getattr(cond, "message", "A condition for this step is not met yet."), state=state
            )
    if not current.has_perm(record, user):
        raise PermissionDenied("You cannot take this step on this record now.")


def allowed_transitions(record, user) -> list[str]:
    """The names of the transitions this user may take on this record now."""
    if user is None or not user.is_authenticated:
        return []
    method_name = f"get_available_user_{_state_field(record)}_transitions"
    return [t.name for t in getattr(record, method_name)(user)]


def blocked_transitions(record, user) -> list[tuple[str, str]]:
    """The steps from the record's state this user may take but for an unmet
    condition: (button label, the condition's message), so a page can say what
    is still missing instead of showing no button."""
    if user is None or not user.is_authenticated:
        return []
    field = _state_field(record)
    state, blocked = getattr(record, field), []
    for transition in getattr(record, f"get_all_{field}_transitions")():
        if transition.source not in (state, "*", "+") or not transition.has_perm(record, user):
            continue
        unmet = [c for c in transition.conditions if hasattr(c, "message") and not c(record)]
        if unmet:
            blocked.append((transition_label(record, transition.name), unmet[0].message))
    return blocked


def timeline_record(record, *, name: str, by=None, by_label: str = "", note: str = ""):
    """Add an event to a record's timeline (transitions do this themselves)."""
    return TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        name=name,
        by=by if by is not None and by.is_authenticated else None,
        by_label=by_label,
        note=note or "",
        state=state_of(record),
    )


def timeline_for(record):
    """A record's timeline, oldest first."""
    return TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("by")


def history_label(record, name: str) -> str:
    """A timeline event's words: the workflow table's history label, else the
    transition's button, else the event's name in plain words."""
    spec = spec_for(record)
    if spec and name in spec.history_labels:
        return spec.history_labels[name]
    try:
        return transition_label(record, name)
    except ValueError:
        return name.replace("_", " ").capitalize()


def labelled_timeline(record, events=None) -> list:
    """The record's timeline (or `events`, e.g. prefetched), oldest first, each
    event with its `label` for the history."""
    events = list(timeline_for(record) if events is None else events)
    for event in events:
        event.label = history_label(record, event.name)
    return events


def workflow_enter(record, *, started_on: dt.date | None = None, note: str = "") -> None:
    """What entering its current state means, from the workflow's table: the
    step's deadline counted from `started_on` (default today), the overdue
    notice cleared, and the entry e-mail queued. Saves the two fields."""
    spec = spec_for(record)
    if spec is None:
        return
    record.due_on = workflow_due_on(record, start=started_on or timezone.localdate())
    record.overdue_notified_on = None
    record.save(update_fields=["due_on", "overdue_notified_on"])
    email = spec.step(state_of(record)).email
    if email is not None and not email.by_service:
        email_queue(
            to=party_emails(record, email.parties(record)),
            template=email.template,
            context=spec.context(record, note=note),
        )


def transition_run(
    record,
    name: str,
    *,
    user,
    note: str = "",
    by_label: str = "",
    started_on: dt.date | None = None,
    after: Callable | None = None,
    **kwargs,
):
    """Lock the record, check permission (403) and state (409), run the
    django-fsm transition `name` with `kwargs` (it may raise ValidationError,
    400, before the state changes), save and record the timeline event; then
    `after(record)` (work the new state needs before its e-mail, such as
    creating the deployment a support case issues) and `workflow_enter`
    (deadline from `started_on`, default today; entry e-mail).
    Returns the updated record. Runs inside the caller's transaction or its own."""
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if user is not None:
            transition_check(locked, name, user)
        elif not can_proceed(getattr(locked, name)):
            raise WorkflowConflict("This cannot be done now.", state=state_of(locked))
        getattr(locked, name)(**kwargs)
        locked.save()
        timeline_record(locked, name=name, by=user, by_label=by_label, note=note)
        if after is not None:
            after(locked)
        workflow_enter(locked, started_on=started_on, note=note)
    return locked
