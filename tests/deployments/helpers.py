"""Build inspection histories from short specs, shared by the engine tests."""

import datetime as dt

from schools.models import OfstedInspection
from tests.schools.factories import OfstedInspectionFactory

RI, GOOD, OUTSTANDING, INADEQUATE = 3, 2, 1, 4
UNGRADED = "ungraded"
REPORT_CARD = "report_card"
IN_YEAR = "2023-10-12"  # a start date inside the 2023/24 academic year


def add_inspections(school, history, urn_at_time=""):
    """history: [(date or "YYYY-MM-DD", grade | UNGRADED | REPORT_CARD), ...]."""
    made = []
    for day, grade in history:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if grade == UNGRADED:
            made.append(
                OfstedInspectionFactory(
                    school=school, start_date=day, ungraded=True, urn_at_time=urn_at_time
                )
            )
        elif grade == REPORT_CARD:
            made.append(
                OfstedInspectionFactory(
                    school=school,
                    start_date=day,
                    kind=OfstedInspection.Kind.REPORT_CARD,
                    inspection_type="Report card",
                    overall_effectiveness=None,
                    rc_achievement="needs_attention",
                    urn_at_time=urn_at_time,
                )
            )
        else:
            made.append(
                OfstedInspectionFactory(
                    school=school,
                    start_date=day,
                    overall_effectiveness=grade,
                    urn_at_time=urn_at_time,
                )
            )
    return made
