"""Each workflow's states, declared once: who must act, the deadline, the
home-queue label and the e-mail sent on entry.

Beside each workflow model, its app declares one `WorkflowSpec` and registers
it (`workflow_register`, at the import of its models module). The kernel reads
only that table: `transition_run` sets `due_on` and queues the entry e-mail
from it, `responsible` names the step's actor, the home queues list the states
whose actor is the user's role, and the one overdue sweep
(`portal.overdue.workflow_notify_overdue`) e-mails the same parties, and the
check-your-answers pages say who is e-mailed from it (`emailed_sentence`). So
the queue, the e-mail, the pages and `responsible` cannot disagree.

The kernel imports no app: parties resolve through duck-typed attributes of
the record (`region_id`, `system_leader`, `owner`; the school's contacts
through `portal.scoping.contacts_of`), and the few app functions a spec needs
(its e-mail context, who may see its records) are named by dotted path and
imported when first used.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.db.models import Q
from django.utils.module_loading import import_string

from portal.models import Role

log = logging.getLogger(__name__)


class Party(StrEnum):
    """Who acts or is told. Roles act for the record's region (finance for
    England); record parties are people named by the record."""

    REGIONS_STAFF = "regions_staff"
    OWNER = "owner"  # the record's owner (Regions Group staff), else the region's staff
    REGIONAL_DIRECTOR = "regional_director"
    RDP = "rdp"
    FINANCE = "finance"
    SYSTEM_LEADER = "system_leader"  # the record's system leader
    SCHOOL_CONTACT = "school_contact"  # the school's or trust's contacts (scoping.contacts_of)

    @property
    def role(self) -> str:
        """The role the contract's `responsible` names for this party."""
        return Role.REGIONS_STAFF if self is Party.OWNER else Role(self.value)


REGIONAL_PARTIES = (Party.REGIONS_STAFF, Party.REGIONAL_DIRECTOR, Party.RDP)


@dataclass(frozen=True)
class Email:
    """The hand-off e-mail sent when a record enters a state, and who it goes to:
    `to`, plus the parties of `to_when` whose record attribute is true (a funded
    partnership's decision also goes to the school). `by_service`: the service
    sends it, to these parties, because its words name something the table cannot
    (a decision, a reason); the kernel then does not."""

    template: str
    to: tuple[Party, ...]
    to_when: tuple[tuple[str, tuple[Party, ...]], ...] = ()
    by_service: bool = False

    def parties(self, record=None) -> tuple[Party, ...]:
        """Who it goes to for this record (without one: every party it may go to)."""
        extra = [
            party
            for attribute, parties in self.to_when
            if record is None or getattr(record, attribute)
            for party in parties
        ]
        return tuple(dict.fromkeys((*self.to, *extra)))


@dataclass(frozen=True)
class Step:
    """One state of a workflow. `actor` must act next (None: nobody's move, the
    state is closed or waits on no one); `also` may take the step for them (they
    see it in their queue and are chased with them); `sla_step` is the offer's
    step whose working days set `due_on` (None: no deadline), counted from
    today or from the record's date field `count_from`; `queue_label` is the
    home-queue row's words to the actor (second person); `email` is sent on
    entry."""

    actor: Party | None = None
    also: tuple[Party, ...] = ()
    sla_step: str | None = None
    count_from: str | None = None
    queue_label: str = ""
    email: Email | None = None

    @property
    def parties(self) -> tuple[Party, ...]:
        return (self.actor, *self.also) if self.actor else ()


def offer_sla_days(record, step: str) -> int | None:
    """The default deadline source: the record's offer's `sla_working_days`."""
    return record.offer.sla_days(step)


@dataclass(frozen=True)
class WorkflowSpec:
    """A workflow's table. `about` names the attribute holding the record the
    parties are found on (a claim's deployment), None for the record itself.
    `sla_days(record, step)` gives the working days of a step (default: the
    offer's). `email_context` is the dotted path of the one function that
    builds this workflow's e-mail context (`f(record, *, note="", **extra) ->
    dict`). `home_sections` maps a role to its home-page section; `home_rows`
    (dotted, `f(user, states, limit) -> {"rows", "link", "link_text"}`) lists
    the records in `states` (the table's states whose step is the user's
    role's) that the user may see; `home_watching` names roles whose section
    is filled even when no state is theirs (the rows function then lists the
    records that need their attention, marked `"waiting": False`). `paused`
    excludes records whose clock is stopped from the sweep and the overdue
    lists; `paused_attr` (a dotted
    attribute path, true when stopped) says the same of one record.
    `history_labels` gives the history's words (past tense) for timeline
    events: the table's transitions and the services' own events; a
    transition left out reads as its button."""

    states: dict[str, Step]
    email_context: str = ""
    overdue_template: str = ""
    state_field: str = "state"
    about: str | None = None
    sla_days: Callable = offer_sla_days
    overdue_cc: tuple[Party, ...] = ()
    home_sections: dict[str, str] = field(default_factory=dict)
    home_rows: str = ""
    home_watching: tuple[str, ...] = ()
    paused: Q | None = None
    paused_attr: str | None = None
    history_labels: dict[str, str] = field(default_factory=dict)

    def step(self, state: str) -> Step:
        return self.states.get(state) or Step()

    @cached_property
    def open_states(self) -> tuple[str, ...]:
        """The states where someone must act (the overdue lists' states)."""
        return tuple(s for s, step in self.states.items() if step.actor)

    def states_waiting_for(self, role: str) -> tuple[str, ...]:
        """The states whose step this role takes (as actor or for the actor)."""
        return tuple(
            s for s, step in self.states.items() if any(p.role == role for p in step.parties)
        )

    def overdue_q(self, today: dt.date) -> Q:
        q = Q(**{f"{self.state_field}__in": self.open_states, "due_on__lt": today})
        return q & ~self.paused if self.paused is not None else q

    def is_overdue(self, record, today: dt.date) -> bool:
        """One record, as `overdue_q` filters a list."""
        state = getattr(record, self.state_field)
        if state not in self.open_states or not record.due_on or record.due_on >= today:
            return False
        if self.paused_attr:
            value = record
            for name in self.paused_attr.split("."):
                value = getattr(value, name)
            return not value
        return True

    def context(self, record, **extra) -> dict:
        return import_string(self.email_context)(record, **extra)


_REGISTRY: dict[type, WorkflowSpec] = {}


def workflow_register(model: type, spec: WorkflowSpec) -> WorkflowSpec:
    """Declare `model`'s table (call it beside the model)."""
    _REGISTRY[model] = spec
    return spec


def workflow_specs() -> dict[type, WorkflowSpec]:
    """Every registered workflow (the apps' models are loaded by then)."""
    return dict(_REGISTRY)


def spec_for(record_or_model) -> WorkflowSpec | None:
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    for klass in model.__mro__:
        if klass in _REGISTRY:
            return _REGISTRY[klass]
    return None


def state_of(record) -> str:
    spec = spec_for(record)
    return getattr(record, spec.state_field if spec else "state", "") or ""


def current_step(record) -> Step:
    spec = spec_for(record)
    return spec.step(state_of(record)) if spec else Step()


# --- deadlines -----------------------------------------------------------------


class SlaMissing(Exception):
    """The table gives a state a deadline step the offer does not hold."""


def workflow_due_on(record, *, start: dt.date, state: str | None = None) -> dt.date | None:
    """The deadline of `state` (default: the record's): the step's working days
    counted from `start` (or the record's `count_from` date). None when the
    state has no step. A step the table declares but the offer lacks is logged
    as a warning and gives no deadline (the record is then never chased)."""
    from portal.workdays import add_working_days

    spec = spec_for(record)
    if spec is None:
        return None
    state = state if state is not None else state_of(record)
    step = spec.step(state)
    if not step.sla_step:
        return None
    days = spec.sla_days(record, step.sla_step)
    if days is None:
        log.warning(
            "%s %s: the step %r of state %r has no working days in its offer; no deadline set",
            type(record).__name__,
            record.pk,
            str(step.sla_step),
            state,
        )
        return None
    if step.count_from:
        start = getattr(record, step.count_from, None) or start
    return add_working_days(start, days)


# --- parties -----------------------------------------------------------------


def _about(record, spec: WorkflowSpec | None):
    return getattr(record, spec.about) if spec and spec.about else record


def party_users(record, party: Party) -> list:
    """The active users who are `party` for this record."""
    from portal.models import User
    from portal.scoping import contacts_of

    about = _about(record, spec_for(record))
    active = User.objects.filter(is_active=True)
    if party in REGIONAL_PARTIES:
        region_id = getattr(record, "region_id", None) or getattr(about, "region_id", None)
        if region_id is None:
            return []
        return list(active.filter(role=party.role, regions=region_id).distinct())
    if party is Party.FINANCE:
        return list(active.filter(role=Role.FINANCE))
    if party is Party.SYSTEM_LEADER:
        leader = getattr(record, "system_leader", None) or getattr(about, "system_leader", None)
        user = leader.user if leader is not None else None
        return [user] if user is not None and user.is_active else []
    if party is Party.SCHOOL_CONTACT:
        return list(contacts_of(about))
    if party is Party.OWNER:
        owner = getattr(record, "owner", None)
        if owner is not None and owner.is_active:
            return [owner]
        return party_users(record, Party.REGIONS_STAFF)
    raise ValueError(f"Unknown party {party!r}")


def party_emails(record, parties) -> list[str]:
    emails: set[str] = set()
    for party in parties:
        emails.update(u.email for u in party_users(record, party) if u.email)
    return sorted(emails)


def responsible_role(record) -> str | None:
    """The contract's `responsible`: the role whose move it is, from the table."""
    actor = current_step(record).actor
    return str(actor.role) if actor else None


def must_act_emails(record) -> list[str]:
    """Who the overdue e-mail goes to: the step's actor and whoever may act for
    them, plus the workflow's copies."""
    spec = spec_for(record)
    step = current_step(record)
    return party_emails(record, (*step.parties, *(spec.overdue_cc if spec else ())))


# --- who is e-mailed, in words (check-your-answers pages) ------------------------

# Each party in plain words: (words, plural?, words when the reader is one of them).
PARTY_WORDS = {
    Party.REGIONS_STAFF: (
        "Regions Group staff of the region",
        True,
        "the region's other Regions Group staff",
    ),
    Party.OWNER: ("the case's owner", False, ""),
    Party.REGIONAL_DIRECTOR: ("the Regional Director", False, ""),
    Party.RDP: ("the region's RDPs", True, "the region's other RDPs"),
    Party.FINANCE: ("DfE finance", True, "the rest of DfE finance"),
    Party.SYSTEM_LEADER: ("the system leader", False, ""),
    Party.SCHOOL_CONTACT: (
        "the school's contacts (its own and its trust's)",
        True,
        "the school's other contacts",
    ),
}
PERSON_PARTIES = (Party.SYSTEM_LEADER, Party.OWNER)  # one named person each


def _reader_is(party: Party, record, user) -> bool:
    if user is None:
        return False
    if party in PERSON_PARTIES:
        return record is not None and user in party_users(record, party)
    return getattr(user, "role", None) == party.role


def parties_sentence(parties, *, record=None, user=None) -> str:
    """One plain sentence naming who is e-mailed, the reader in the second person:
    "The system leader and the school's contacts (its own and its trust's) are
    e-mailed.", "You and the region's other RDPs are e-mailed.", "Nobody is e-mailed."."""
    parties = tuple(dict.fromkeys(parties))
    if not parties:
        return "Nobody is e-mailed."
    you = False
    names, plural = [], len(parties) > 1
    for party in parties:
        words, many, others = PARTY_WORDS[party]
        if _reader_is(party, record, user):
            you = True
            if others:
                names.append(others)
            continue
        names.append(words)
        plural = plural or many
    if you:
        names.insert(0, "you")
        plural = True
    text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{text[0].upper()}{text[1:]} {'are' if plural else 'is'} e-mailed."


def emailed_sentence(spec: WorkflowSpec, state: str, *, record=None, user=None) -> str:
    """Who the e-mail on entering `state` goes to, from the table, as one sentence
    (check-your-answers pages say it this way, never in their own words)."""
    email = spec.step(state).email
    return parties_sentence(email.parties(record) if email else (), record=record, user=user)
