"""How candidates are ranked: the one table of the score's weights.

A leader who passes every exclusion rule (`deployments.matching.exclusions`)
scores out of 100, the sum of the parts below, each with what earns its points
and why it matters. MAT CEOs still come before NLEs whatever their score
(guidance sections 4 and 8: "normally a MAT CEO or an NLE where a MAT CEO isn't
available"), then the higher score, then the name.

The scorer (`ranking.score_leader`) reads the points from `POINTS` and the
candidates page shows `WEIGHTS` as "How candidates are ranked", so the page and
the score cannot disagree. The weights are matching judgement, not policy: the
offer's days, rates and deadlines live in the `SupportOffer` row.
"""

from dataclasses import dataclass

# The distance at which the distance part reaches 0, and the closed deployments
# that earn the experience part's full marks.
DISTANCE_ZERO_MILES = 60
COMPLETED_FULL_MARKS = 3


@dataclass(frozen=True)
class Weight:
    key: str
    label: str
    points: int
    rewards: str  # what earns the points
    why: str  # why it matters


WEIGHTS = (
    Weight(
        "phase",
        "Phase",
        30,
        "The leader lists the school's phase (a trust case: any phase of its open schools).",
        "Improving a primary and a secondary school are different jobs: phase expertise "
        "matters most.",
    ),
    Weight(
        "focus",
        "Focus areas",
        25,
        "In proportion, the share of the case's known needs (from its latest inspection "
        "and its context) that the leader lists as focus areas.",
        "The deployment form plans the support by focus area (guidance section 8).",
    ),
    Weight(
        "distance",
        "Distance",
        20,
        f"Full marks next door, falling evenly to none at {DISTANCE_ZERO_MILES} miles, "
        "straight line from the leader's base (an NLE's school, a MAT CEO's nearest "
        "school of their trust).",
        "The 10-day model is mostly visits: a nearby leader can be there often.",
    ),
    Weight(
        "region",
        "Same region",
        15,
        "The leader works in the case's region.",
        "RDPs manage the leaders of their region and Regions Group knows them.",
    ),
    Weight(
        "completed",
        "Experience",
        5,
        f"Closed deployments, full marks from {COMPLETED_FULL_MARKS}.",
        "A leader who has seen a deployment through knows the form and the offer.",
    ),
    Weight(
        "load",
        "Current load",
        5,
        "The share of the leader's concurrent deployments still free.",
        "A leader with room to spare can start sooner (a full leader is left out).",
    ),
)
POINTS = {weight.key: weight.points for weight in WEIGHTS}
assert sum(POINTS.values()) == 100, "the score is out of 100"
