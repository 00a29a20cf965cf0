"""The Outcomes and Forecast pages (and the outcomes' CSV/XLSX): thin, over
`outcomes` and `forecast`, with the API's permission and query
(`deployments.view_oversight` for the region asked for; none is England)."""

import inspect

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView, View
from rules.contrib.views import PermissionRequiredMixin

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader
from deployments.oversight import forecast as forecasting
from deployments.oversight import outcomes
from deployments.oversight.filters_outcomes import OversightQueryForm
from deployments.oversight.rules import could_see_oversight
from portal.spreadsheets import download
from schools.judgements import judgement_level

VIEW_OVERSIGHT = "deployments.view_oversight"
PAGE_SIZE = 50
EXPORT_COLUMNS = [
    "Deployment",
    "URN",
    "School",
    "Region",
    "Offer",
    "System leader kind",
    "State",
    "Issued on",
    "Accepted on",
    "Eligible judgement",
    "Eligible judgement date",
    "Eligibility criterion",
    "Next inspection",
    "Next inspection date",
    "Outcome",
    "Days after start",
    "Days after support",
]


class OversightPage(PermissionRequiredMixin):
    """Reads the query (offer, region) once; the permission is checked against
    the region asked for. A query naming nothing shows its errors (no figures)."""

    permission_required = VIEW_OVERSIGHT
    raise_exception = True
    offer_required = False

    def dispatch(self, request, *args, **kwargs):
        if not could_see_oversight(request.user):
            raise PermissionDenied
        self.form = OversightQueryForm(request.GET, offer_required=self.offer_required)
        self.valid = self.form.is_valid()
        data = self.form.cleaned_data if self.valid else {}
        self.offer, self.region = data.get("offer"), data.get("region")
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.region

    def scope_context(self) -> dict:
        return {
            "form": self.form,
            "offer": self.offer,
            "region": self.region,
            "query": self.request.GET.urlencode(),
        }


def _judgement(judgement: dict | None) -> tuple[str, str]:
    if not judgement:
        return "", ""
    return judgement["judgement"], judgement["start_date"] or ""


class OutcomesView(OversightPage, TemplateView):
    template_name = "deployments/oversight/outcomes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**self.scope_context(), **kwargs)
        context["rule"] = inspect.cleandoc(judgement_level.__doc__)
        if not self.valid:
            return context
        qs = outcomes.outcome_list(offer=self.offer, region=self.region)
        summary = outcomes.outcome_summary(
            qs,
            offers=[self.offer] if self.offer else self.form.offers,
            regions=[self.region] if self.region else self.form.regions,
        )
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        labels = {
            "by_region": None,
            "by_offer": None,
            "by_system_leader_kind": dict(SystemLeader.Kind.choices),
            "by_focus_area": dict(FocusArea.choices),
        }
        groups = [
            {
                "key": group,
                "title": title,
                "rows": [
                    {
                        "name": (labels[group] or {}).get(name, name),
                        "cells": [counts[o] for o in outcomes.OUTCOMES],
                        "total": sum(counts.values()),
                        "share": outcomes.share_improved(counts),
                    }
                    for name, counts in summary[group].items()
                ],
            }
            for group, title in (
                ("by_offer", "Offer"),
                ("by_system_leader_kind", "System leader"),
                ("by_region", "Region"),
                ("by_focus_area", "Focus area"),
            )
        ]
        rows = outcomes.outcome_rows(page.object_list)
        for row in rows:
            row["outcome_label"] = outcomes.OUTCOME_LABELS[row["outcome"]]
        context.update(
            summary=summary,
            total_share=outcomes.share_improved(summary["total"]),
            groups=groups,
            page_obj=page,
            rows=rows,
            outcome_headers=[outcomes.OUTCOME_LABELS[o] for o in outcomes.OUTCOMES],
        )
        return context


class OutcomesExportView(OversightPage, View):
    """Every row of the page's query (all pages) as CSV or XLSX, through the one
    formula-safe writer."""

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx") or not self.valid:
            raise Http404("No such file.")
        qs = outcomes.outcome_list(offer=self.offer, region=self.region)
        rows = []
        for row in outcomes.outcome_rows(qs):
            eligible, eligible_on = _judgement(row["eligible_judgement"])
            following, following_on = _judgement(row["next_inspection"])
            rows.append(
                [
                    row["deployment"],
                    row["school_urn"],
                    row["school_name"],
                    row["region"],
                    row["offer"],
                    SystemLeader.Kind(row["system_leader_kind"]).label,
                    row["state"],
                    row["issued_on"],
                    row["accepted_on"],
                    eligible,
                    eligible_on,
                    (row["eligible_judgement"] or {}).get("criterion", ""),
                    following,
                    following_on,
                    outcomes.OUTCOME_LABELS[row["outcome"]],
                    row["days_after_start"],
                    row["days_after_support"],
                ]
            )
        return download(fmt=fmt, filename="outcomes", header=EXPORT_COLUMNS, rows=rows)


class ForecastView(OversightPage, TemplateView):
    template_name = "deployments/oversight/forecast.html"
    offer_required = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**self.scope_context(), **kwargs)
        context.update(
            cycle_months=forecasting.CYCLE_MONTHS,
            rule=inspect.cleandoc(forecasting.next_inspection_due.__doc__),
        )
        if self.valid:
            rows = forecasting.with_gaps_first(
                forecasting.forecast(offer=self.offer, region=self.region)
            )
            labels = dict(Phase.choices)
            for row in rows:
                row["phase_label"] = labels[row["phase"]]
            context.update(
                rows=rows,
                totals=forecasting.region_totals(rows),
                regions_with_gap=sorted({r["region"] for r in rows if r["gap"] > 0}),
            )
        return context
