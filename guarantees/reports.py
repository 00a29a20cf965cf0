"""Reports: complaints by entitlement, stage, outcome and time to resolution per
school, local authority or region; self-assessment coverage. Regions Group
staff and Regional Directors see their regions; Admin sees every region.
Figures only: no complainant's details."""

from collections import defaultdict
from statistics import median

from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from guarantees.choices import OMBUDSMAN_STAGES, ComplaintState, Outcome
from guarantees.models import Complaint, Entitlement, SelfAssessment
from guarantees.selectors import academic_year_of
from portal import scoping
from portal.models import Role
from portal.spreadsheets import download
from portal.workdays import working_days_between
from schools.models import School

GROUPINGS = {
    "school": ("School", lambda c: (c.school.urn, c.school.name)),
    "local_authority": (
        "Local authority",
        lambda c: (
            c.school.local_authority.code if c.school.local_authority_id else "",
            c.school.local_authority.name if c.school.local_authority_id else "Unknown",
        ),
    ),
    "region": (
        "Region",
        lambda c: (c.region_id or "", c.region.name if c.region_id else "Unknown"),
    ),
}


def _complaints_for(user):
    queryset = Complaint.objects.exclude(state=ComplaintState.AWAITING_CONFIRMATION).select_related(
        "school__local_authority", "region"
    )
    if user.role == Role.ADMIN or user.is_superuser:
        return queryset
    return queryset.filter(scoping.in_users_regions_q(user, "school__region"))


def _resolution_days(complaint) -> int | None:
    if complaint.received_at and complaint.closed_at:
        return working_days_between(complaint.received_at.date(), complaint.closed_at.date())
    return None


def complaint_rows(user, *, by: str) -> list[dict]:
    _, key_of = GROUPINGS[by]
    groups: dict = defaultdict(lambda: {"states": defaultdict(int), "outcomes": defaultdict(int),
                                        "days": [], "total": 0, "vexatious": 0})  # fmt: skip
    for complaint in _complaints_for(user):
        key = key_of(complaint)
        row = groups[key]
        row["total"] += 1
        row["states"][complaint.state] += 1
        if complaint.outcome:
            row["outcomes"][complaint.outcome] += 1
        row["vexatious"] += complaint.vexatious
        days = _resolution_days(complaint)
        if days is not None:
            row["days"].append(days)
    result = []
    for (code, name), row in sorted(groups.items(), key=lambda item: item[0][1]):
        result.append(
            {
                "code": code,
                "name": name,
                "total": row["total"],
                "open": row["total"] - row["states"][ComplaintState.CLOSED],
                "states": dict(row["states"]),
                "outcomes": dict(row["outcomes"]),
                "vexatious": row["vexatious"],
                "ombudsman": sum(row["states"][state] for state in OMBUDSMAN_STAGES),
                "outcome_list": [row["outcomes"][key] for key, _ in Outcome.choices],
                "median_days": median(row["days"]) if row["days"] else None,
            }
        )
    return result


def entitlement_rows(user) -> list[dict]:
    counts: dict = defaultdict(lambda: defaultdict(int))
    complaints = _complaints_for(user).prefetch_related("entitlements")
    for complaint in complaints:
        for entitlement in complaint.entitlements.all():
            counts[entitlement.pk]["total"] += 1
            if complaint.outcome:
                counts[entitlement.pk][complaint.outcome] += 1
    rows = []
    for entitlement in Entitlement.objects.select_related("ambition__guarantee"):
        if entitlement.pk in counts:
            row = counts[entitlement.pk]
            rows.append(
                {
                    "entitlement": entitlement,
                    **row,
                    "outcome_list": [row[key] for key, _ in Outcome.choices],
                }
            )
    return rows


def coverage_rows(user, *, year: int) -> list[dict]:
    schools = School.objects.filter(status__in=School.OPEN_STATUSES, region__isnull=False)
    if not (user.role == Role.ADMIN or user.is_superuser):
        schools = schools.filter(scoping.in_users_regions_q(user))
    submitted = set(
        SelfAssessment.objects.filter(year=year, state=SelfAssessment.State.SUBMITTED).values_list(
            "school_id", flat=True
        )
    )
    per_region: dict = defaultdict(lambda: {"schools": 0, "submitted": 0})
    for school_id, region_name in schools.values_list("pk", "region__name"):
        per_region[region_name]["schools"] += 1
        per_region[region_name]["submitted"] += school_id in submitted
    return [
        {
            "region": name,
            **row,
            "percent": round(100 * row["submitted"] / row["schools"]) if row["schools"] else 0,
        }
        for name, row in sorted(per_region.items())
    ]


class _ReportMixin(PermissionRequiredMixin):
    raise_exception = True
    permission_required = "guarantees.view_reports"

    def params(self):
        by = self.request.GET.get("by", "region")
        return (by if by in GROUPINGS else "region"), academic_year_of()


class ReportView(_ReportMixin, TemplateView):
    template_name = "guarantees/reports.html"

    def get_context_data(self, **kwargs):
        by, year = self.params()
        user = self.request.user
        return super().get_context_data(
            by=by,
            by_label=GROUPINGS[by][0],
            groupings=[(key, label) for key, (label, _) in GROUPINGS.items()],
            year=year,
            academic_year=f"{year}/{(year + 1) % 100:02d}",
            complaint_rows=complaint_rows(user, by=by),
            entitlement_rows=entitlement_rows(user),
            coverage=coverage_rows(user, year=year),
            states=ComplaintState.choices,
            outcomes=Outcome.choices,
            **kwargs,
        )


class ReportExportView(_ReportMixin, TemplateView):
    def get(self, request, *args, fmt, **kwargs):
        by, year = self.params()
        table = request.GET.get("table", "complaints")
        user = request.user
        if table == "entitlements":
            header = ["Guarantee", "Ambition", "Entitlement", "Text", "Complaints"] + [
                label for _, label in Outcome.choices
            ]
            rows = (
                [
                    r["entitlement"].ambition.guarantee.get_key_display(),
                    r["entitlement"].ambition.letter,
                    r["entitlement"].reference,
                    r["entitlement"].text,
                    r["total"],
                    *[r.get(key, 0) for key, _ in Outcome.choices],
                ]
                for r in entitlement_rows(user)
            )
            return download(fmt=fmt, filename="complaints-by-entitlement", header=header, rows=rows)
        if table == "coverage":
            header = ["Region", "Open schools", "Submitted", "Per cent", "Academic year"]
            rows = (
                [r["region"], r["schools"], r["submitted"], r["percent"], f"{year}/{year + 1}"]
                for r in coverage_rows(user, year=year)
            )
            return download(fmt=fmt, filename="self-assessment-coverage", header=header, rows=rows)
        label = GROUPINGS[by][0]
        header = (
            [f"{label} code", label, "Complaints", "Open"]
            + [f"At: {name}" for _, name in ComplaintState.choices]
            + [f"Outcome: {name}" for _, name in Outcome.choices]
            + ["Vexatious", "Median working days to close"]
        )
        rows = (
            [r["code"], r["name"], r["total"], r["open"]]
            + [r["states"].get(key, 0) for key, _ in ComplaintState.choices]
            + [r["outcomes"].get(key, 0) for key, _ in Outcome.choices]
            + [r["vexatious"], r["median_days"] if r["median_days"] is not None else ""]
            for r in complaint_rows(user, by=by)
        )
        return download(fmt=fmt, filename=f"complaints-by-{by}", header=header, rows=rows)
