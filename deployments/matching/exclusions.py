"""Who is never a candidate for a support case, and why: one list of rules.

The contract ("Support cases", candidates): never a leader who declared a
conflict with the school or its trust, who leads (or works in) the school's own
trust, who already declined this case, who is unavailable or at capacity.

Each rule in `EXCLUSIONS` is one `Exclusion`, either
- `query(case, facts) -> Q | None`: the leaders it matches are left out, found in
  SQL for every leader at once (None: the rule does not apply to this case); or
- `check(leader, facts) -> str`: run on each loaded leader (which carries its
  `active`, `completed` and `committed_days`); the reason, or "" to keep them.
A `listed` rule names the leaders it leaves out on the candidates page, with its
reason; a leader who switched themselves to unavailable (or whose account is
deactivated) is left out silently: that is not about this case. A new rule is
one line in `EXCLUSIONS`.

Capacity is two rules:
- deployments: a leader with `max_concurrent_deployments` deployments open;
- days: a leader's remaining days are their `days_available` less the days
  committed to their open deployments, never below 0. A deployment commits, while
  it is open (issued to accepted: every state but closed and withdrawn), every day
  it may claim: the offer's core days plus its approved extension days (its
  `claim_cap_days`), logged or not, since the leader promised those days until it
  ends. A match proposed but not yet issued commits nothing yet. A leader whose
  remaining days are fewer than the case needs (`days_needed`: the offer's core
  days) is left out, e.g. "12 of 20 days committed; 8 left, 10 needed".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum, Value

from deployments.leaders.models import SystemLeader
from portal.text import days

ZERO = Decimal(0)


@dataclass(frozen=True)
class Exclusion:
    code: str
    reason: str = ""  # a query rule's reason (a check returns its own)
    query: Callable | None = None
    check: Callable | None = None
    listed: bool = True


@dataclass
class LeftOut:
    """A leader who is not a candidate for this case, with every reason why."""

    system_leader: SystemLeader
    reasons: list[str] = field(default_factory=list)


def remaining_days(days_available, committed) -> Decimal:
    """Days a leader can still give: what they offer less what is committed, never below 0."""
    return max(ZERO, Decimal(days_available or 0) - Decimal(committed or 0))


def days_needed(case) -> Decimal:
    """The days a case needs of its leader: the core days its next deployment
    gets (the offer's, less those logged on its withdrawn deployments)."""
    from deployments.matching.selectors import case_core_days

    return case_core_days(case)


def days_sentence(days_available, committed, needed) -> str:
    left = remaining_days(days_available, committed)
    return (
        f"{days(committed)} of {days(days_available)} days committed; "
        f"{days(left)} left, {days(needed)} needed"
    )


def _deployments_full(leader, facts) -> str:
    capacity = leader.max_concurrent_deployments
    if leader.active < capacity:
        return ""
    return f"At capacity: {leader.active} of {capacity} deployments in use"


def _days_short(leader, facts) -> str:
    if remaining_days(leader.days_available, leader.committed_days) >= facts.days_needed:
        return ""
    return days_sentence(leader.days_available, leader.committed_days, facts.days_needed)


def _own_trust(case, facts):
    if not facts.trust_id:
        return None
    return Q(trust_id=facts.trust_id) | Q(school__trust_id=facts.trust_id)


EXCLUSIONS = (
    Exclusion(
        "unavailable",
        "Not available",
        query=lambda case, facts: ~Q(available=True, user__is_active=True),
        listed=False,
    ),
    Exclusion(
        "declined",
        "Already declined this case",
        query=lambda case, facts: Q(declined_cases=case),
    ),
    Exclusion(
        "conflict_school",
        "Declared a conflict with the school (or a school of the trust)",
        query=lambda case, facts: (
            Q(conflict_schools__in=facts.conflict_school_ids) if facts.conflict_school_ids else None
        ),
    ),
    Exclusion(
        "conflict_trust",
        "Declared a conflict with the trust",
        query=lambda case, facts: Q(conflict_trusts=facts.trust_id) if facts.trust_id else None,
    ),
    Exclusion("own_trust", "Leads or works in the school's own trust", query=_own_trust),
    Exclusion(
        "withdrew",
        "Withdrew from (or was withdrawn from) a deployment of this case",
        query=lambda case, facts: Q(pk__in=case.withdrawn_leader_ids()) if case.pk else None,
    ),
    Exclusion("deployments_full", check=_deployments_full),
    Exclusion("days_short", check=_days_short),
)


def _queries(case, facts, *, listed: bool) -> list[tuple[Exclusion, Q]]:
    found = []
    for rule in EXCLUSIONS:
        if rule.query is None or rule.listed != listed:
            continue
        q = rule.query(case, facts)
        if q is not None:
            found.append((rule, q))
    return found


def leaders_not_silently_excluded(case, facts):
    """Every leader but those the unlisted rules leave out (no query yet)."""
    leaders = SystemLeader.objects.all()
    for _rule, q in _queries(case, facts, listed=False):
        leaders = leaders.exclude(q)
    return leaders


def listed_query_reasons(case, facts) -> dict[int, list[str]]:
    """leader id -> the reasons of the listed query rules that match them, in the
    rules' order: one query (a UNION ALL of one SELECT per rule)."""
    rules = _queries(case, facts, listed=True)
    if not rules:
        return {}
    parts = [
        SystemLeader.objects.filter(q)
        .order_by()
        .annotate(rule=Value(i))
        .values_list("pk", "rule")
        .distinct()
        for i, (_rule, q) in enumerate(rules)
    ]
    found: dict[int, set[int]] = {}
    for pk, i in parts[0].union(*parts[1:], all=True):
        found.setdefault(pk, set()).add(i)
    return {pk: [rules[i][0].reason for i in sorted(hits)] for pk, hits in found.items()}


def check_reasons(leader, facts) -> list[str]:
    """The reasons of the check rules that leave this (loaded) leader out."""
    reasons = []
    for rule in EXCLUSIONS:
        if rule.check is not None and (reason := rule.check(leader, facts)):
            reasons.append(reason)
    return reasons


@dataclass(frozen=True)
class Load:
    active: int = 0
    completed: int = 0
    committed_days: Decimal = ZERO


def leader_loads() -> dict[int, Load]:
    """leader id -> open and closed deployments and the days the open ones
    commit: one grouped query."""
    from deployments.delivery.models import Deployment

    is_open = Q(state__in=Deployment.OPEN_STATES)
    from deployments.delivery.selectors import committed_days

    committed = committed_days()
    rows = (
        Deployment.objects.filter(state__in=[*Deployment.OPEN_STATES, Deployment.State.CLOSED])
        .values("system_leader_id")
        .annotate(
            active=Count("pk", filter=is_open),
            completed=Count("pk", filter=Q(state=Deployment.State.CLOSED)),
            committed=Sum(committed, filter=is_open),
        )
        .order_by()
    )
    return {
        row["system_leader_id"]: Load(
            row["active"], row["completed"], Decimal(row["committed"] or 0)
        )
        for row in rows
    }
