"""Ranked system-leader candidates for a support case.

Hard filters (the contract): never a leader who declared a conflict with the
school or its trust, who leads or works in the school's own trust, who already
declined this case, who is unavailable or at capacity. Then MAT CEOs before
NLEs (guidance section 4), then a score with its reasons as short sentences.

First version: the filters and a simple score; the full score (phase, focus
areas, distance, completed deployments, load) is built on this interface:
`rank_candidates(case) -> list[Candidate]`, best first."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from deployments.matching.models import SystemLeader


@dataclass
class Candidate:
    system_leader: SystemLeader
    rank: int = 0
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _target_trust_id(case):
    if case.trust_id:
        return case.trust_id
    return case.school.trust_id if case.school_id else None


def eligible_leaders(case):
    """Leaders who pass every hard filter for this case (one query)."""
    from deployments.delivery.models import Deployment

    trust_id = _target_trust_id(case)
    leaders = (
        SystemLeader.objects.filter(available=True, user__is_active=True)
        .exclude(declined_cases=case)
        .annotate(
            active=Count(
                "deployments",
                filter=Q(deployments__state__in=Deployment.OPEN_STATES),
                distinct=True,
            )
        )
        .filter(active__lt=F("max_concurrent_deployments"))
    )
    if case.school_id:
        leaders = leaders.exclude(conflict_schools=case.school_id)
    if trust_id:
        leaders = (
            leaders.exclude(conflict_trusts=trust_id)
            .exclude(trust_id=trust_id)
            .exclude(school__trust_id=trust_id)
        )
    return leaders.select_related("user", "trust", "school").prefetch_related("regions")


def rank_candidates(case) -> list[Candidate]:
    """Every leader who passes the hard filters, best first."""
    candidates = []
    for leader in eligible_leaders(case):
        candidate = Candidate(system_leader=leader)
        if any(region.pk == case.region_id for region in leader.regions.all()):
            candidate.score += 1
            candidate.reasons.append(f"Works in {case.region.name}")
        candidate.reasons.append(
            f"{leader.active} of {leader.max_concurrent_deployments} deployments in use"
        )
        candidates.append(candidate)
    candidates.sort(
        key=lambda c: (
            c.system_leader.kind != SystemLeader.Kind.MAT_CEO,
            -c.score,
            c.system_leader.pk,
        )
    )
    for rank, candidate in enumerate(candidates, start=1):
        candidate.rank = rank
    return candidates
