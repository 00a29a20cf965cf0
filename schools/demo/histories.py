"""Plausible Ofsted histories for the synthetic register.

A school's history is one timeline across its predecessor and itself. Graded
judgements come from a random walk (`walk`), or from a scripted story around the
2023/24 academic year (`scripted`); `fill` then adds the ungraded inspections of
Good and Outstanding schools, the monitoring visits after Requires improvement and
Inadequate, and names each inspection type as Ofsted does. `inspection_rows` turns
the timelines into OfstedInspection rows, with sub-judgements consistent with the
grade, no overall grade from September 2024 and report cards from November 2025."""

import datetime as dt
from dataclasses import dataclass

from schools.models import OfstedInspection

Grade = OfstedInspection.Grade
Kind = OfstedInspection.Kind
RC = OfstedInspection.ReportCardGrade

# The date the synthetic register is "as at": nothing happens after it.
AS_OF = dt.date(2026, 10, 31)
LAST_EVENT = AS_OF - dt.timedelta(days=60)  # so every report is published by AS_OF
YEAR_2023_24 = (dt.date(2023, 9, 1), dt.date(2024, 8, 31))
EIF_START = dt.date(2019, 9, 1)
NO_GRADE_START = dt.date(2024, 9, 1)
REPORT_CARD_START = dt.date(2025, 11, 10)
PAUSE = (dt.date(2020, 3, 17), dt.date(2021, 9, 1))  # routine inspections suspended
OUTSTANDING_EXEMPT_UNTIL = dt.date(2021, 9, 1)

UNGRADED_TYPE = "S8 Inspection of good and outstanding schools"
RI_MONITORING_TYPE = "S8 Requires Improvement Monitoring Visit"
STORIES = ("ri_run_2023_24", "inadequate_2023_24", "near_miss")

# Next graded judgement, by the previous one (None: a first inspection): O, G, RI, I weights.
TRANSITIONS = {
    None: (12, 58, 24, 6),
    1: (62, 33, 4, 1),
    2: (10, 71, 17, 2),
    3: (2, 66, 27, 5),
    4: (0, 55, 42, 3),
}
# Days to the next graded inspection after one with this judgement.
GRADED_GAP = {1: (2600, 3650), 2: (2100, 3300), 3: (730, 900), 4: (620, 850)}
# Sub-judgement weights (O, G, RI, I) by overall grade.
SUB_MAIN = {1: (100, 0, 0, 0), 2: (0, 100, 0, 0), 3: (0, 8, 92, 0), 4: (0, 0, 35, 65)}
SUB_LEAD = {1: (92, 8, 0, 0), 2: (10, 90, 0, 0), 3: (0, 40, 60, 0), 4: (0, 0, 15, 85)}
SUB_OTHER = {1: (78, 22, 0, 0), 2: (22, 72, 6, 0), 3: (0, 50, 48, 2), 4: (0, 15, 55, 30)}
RC_SCALE = (RC.EXCEPTIONAL, RC.STRONG, RC.EXPECTED, RC.NEEDS_ATTENTION, RC.URGENT)
RC_AREAS = (
    "rc_inclusion",
    "rc_curriculum_and_teaching",
    "rc_achievement",
    "rc_attendance_and_behaviour",
    "rc_personal_development",
    "rc_leadership_and_governance",
)


@dataclass
class Event:
    """One inspection in a school's timeline."""

    date: dt.date
    kind: str
    grade: int  # graded: the judgement; otherwise the judgement it follows
    inspection_type: str = ""
    outcome: str = ""
    concern: str = ""


# -- dates -------------------------------------------------------------------------------


def date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def school_day(day: dt.date) -> dt.date:
    """Move a date back (by a few weeks at most) onto a term-time Monday to Thursday."""
    if day.month == 8:
        day = dt.date(day.year, 7, 10)
    elif day.month == 12 and day.day >= 18:
        day = dt.date(day.year, 12, 10)
    elif day.month == 1 and day.day <= 4:
        day = dt.date(day.year, 1, 8)
    if day.weekday() >= 4:
        day -= dt.timedelta(days=day.weekday() - 2)
    return day


def _before_pause(rng, day: dt.date) -> dt.date:
    if PAUSE[0] <= day < PAUSE[1]:
        day = PAUSE[0] - dt.timedelta(days=rng.randrange(20, 200))
    return school_day(day)


def _after_pause(rng, day: dt.date) -> dt.date:
    if PAUSE[0] <= day < PAUSE[1]:
        day = PAUSE[1] + dt.timedelta(days=rng.randrange(14, 300))
    return school_day(day)


def _in_2023_24(day: dt.date) -> bool:
    return YEAR_2023_24[0] <= day <= YEAR_2023_24[1]


def _days(rng, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randrange(low, high))


# -- graded judgements -------------------------------------------------------------------


def _graded(rng, day: dt.date, grade: int) -> Event:
    concern = ""
    if grade == Grade.INADEQUATE:
        concern = "SM" if rng.random() < 0.6 else "SWK"
    return Event(day, Kind.GRADED, grade, concern=concern)


def walk(rng, day: dt.date, until: dt.date, prev: int | None) -> list[Event]:
    """Graded inspections from `day` to `until`, each judgement drawn from the last.

    In 2023/24 the walk never makes a school eligible (no Inadequate, no second RI in a
    row), so eligible schools come only from the scripted stories; runs stop at four."""
    anchors = []
    run = 1 if prev == 3 else 0
    while True:
        day = _after_pause(rng, day)
        if day > until:
            return anchors
        grade = rng.choices((1, 2, 3, 4), weights=TRANSITIONS[prev])[0]
        if _in_2023_24(day) and (grade == 4 or (grade == 3 and prev == 3)):
            grade = 2
        if grade == 3 and run >= 4:
            grade = 2
        run = run + 1 if grade == 3 else 0
        anchors.append(_graded(rng, day, grade))
        day += _days(rng, *GRADED_GAP[grade])
        prev = grade


def scripted(rng, story: str, start: dt.date, until: dt.date) -> list[Event]:
    """A walk with a scripted stretch around 2023/24:
    - ri_run_2023_24: 2-4 RIs in a row, the last in 2023/24 (eligible);
    - inadequate_2023_24: Inadequate in 2023/24 (eligible);
    - near_miss: a run of RIs ending in 2022/23, RI-Good-RI ending in 2023/24, a single
      RI in 2023/24 after Good, or Inadequate in 2022/23 (none of them eligible)."""
    last = date_between(rng, dt.date(2023, 9, 11), dt.date(2024, 7, 12))
    if story == "ri_run_2023_24":
        grades = [3] * rng.choices((2, 3, 4), weights=(60, 30, 10))[0]
    elif story == "inadequate_2023_24":
        grades = [4]
    else:
        grades = rng.choice(([3, 3], [3, 2, 3], [3], [4]))
        if grades in ([3, 3], [4]):
            last = date_between(rng, dt.date(2022, 9, 12), dt.date(2023, 7, 7))
    dates = [school_day(last)]
    for grade in reversed(grades[:-1]):
        dates.append(_before_pause(rng, dates[-1] - _days(rng, *GRADED_GAP[grade])))
    dates.reverse()
    prefix = walk(rng, start, dates[0] - dt.timedelta(days=1100), None)
    if prefix and prefix[-1].grade >= 3:  # so the run is exactly as scripted
        prefix[-1].grade, prefix[-1].concern = 2, ""
    script = [_graded(rng, d, g) for d, g in zip(dates, grades, strict=True)]
    after = dates[-1] + _days(rng, *GRADED_GAP[grades[-1]])
    return prefix + script + walk(rng, after, until, grades[-1])


def history(rng, school: dict, predecessor: dict | None, story: str | None) -> list[Event]:
    """The timeline of an open school and its predecessor, if any."""
    first = predecessor or school
    if first["opened_on"] < dt.date(2006, 9, 1):
        start = date_between(rng, dt.date(2007, 9, 1), dt.date(2011, 7, 15))
    else:
        start = first["opened_on"] + _days(rng, 700, 1200)
    conversion = school["opened_on"] if predecessor else None
    if story:
        anchors = scripted(rng, story, start, LAST_EVENT)
        if story == "ri_run_2023_24" and predecessor and not school["_sponsored"]:
            # The school converted between its last two RIs: the run spans two URNs.
            conversion = _conversion_in_run(rng, anchors) or conversion
            school["opened_on"] = conversion
            predecessor["closed_on"] = conversion - dt.timedelta(days=1)
    elif predecessor and school["_sponsored"]:
        # Sponsored academies replace a school judged Inadequate (or RI) before.
        bad_on = _before_pause(rng, conversion - _days(rng, 180, 540))
        bad = _graded(rng, bad_on, 4 if rng.random() < 0.75 else 3)
        anchors = walk(rng, start, bad_on - dt.timedelta(days=700), None) + [bad]
        anchors += walk(rng, conversion + _days(rng, 600, 1100), LAST_EVENT, bad.grade)
    else:
        anchors = walk(rng, start, LAST_EVENT, None)
    return fill(rng, anchors, LAST_EVENT, conversion)


def _conversion_in_run(rng, anchors: list[Event]) -> dt.date | None:
    last = max(i for i, a in enumerate(anchors) if a.date <= YEAR_2023_24[1])
    before, after = anchors[last - 1].date, anchors[last].date
    day = date_between(rng, before + dt.timedelta(days=60), after - dt.timedelta(days=120))
    day = dt.date(day.year, day.month, 1) + dt.timedelta(days=31)
    return dt.date(day.year, day.month, 1) if before < day < after else None


def closed_history(rng, school: dict) -> list[Event]:
    start = max(school["opened_on"], dt.date(2006, 9, 1)) + _days(rng, 400, 1800)
    return fill(rng, walk(rng, start, school["closed_on"] - dt.timedelta(days=60), None),
                school["closed_on"] - dt.timedelta(days=30))  # fmt: skip


# -- the inspections between graded ones -------------------------------------------------


def fill(rng, anchors: list[Event], end: dt.date, conversion: dt.date | None = None):
    """Add ungraded and monitoring inspections between graded ones, and name the types."""
    events = []
    run = 0  # consecutive RI judgements so far
    prev = None
    for i, anchor in enumerate(anchors):
        following = anchors[i + 1] if i + 1 < len(anchors) else None
        converted = conversion and prev and prev.date < conversion <= anchor.date
        if prev is None or prev.grade <= 2 or converted:
            anchor.inspection_type = "S5 Inspection"
        elif prev.grade == 3:
            anchor.inspection_type = f"Requires Improvement S5 Reinspection Visit {run}"
        elif prev.concern == "SWK":
            anchor.inspection_type = "Serious Weaknesses S5 Reinspection"
        else:
            anchor.inspection_type = "Special Measures S5 Reinspection"
        if anchor.date >= REPORT_CARD_START:
            anchor.kind = Kind.REPORT_CARD
            anchor.inspection_type = "Report card inspection"
        run = run + 1 if anchor.grade == 3 else 0
        events.append(anchor)
        until = following.date if following else end
        if conversion and anchor.date < conversion < until and anchor.grade >= 3:
            until = conversion  # monitoring stops when the school closes
        events += _between(rng, anchor, until, following.grade if following else anchor.grade)
        prev = anchor
    return [e for e in events if e.date <= min(end, LAST_EVENT)]


def _between(rng, anchor: Event, until: dt.date, next_grade: int) -> list[Event]:
    out = []
    grade = anchor.grade
    if grade <= 2:
        day = anchor.date + _days(rng, 1300, 1650)
        while day < until - dt.timedelta(days=300):
            day = _after_pause(rng, day)
            if day >= until - dt.timedelta(days=200):
                break
            last = day + dt.timedelta(days=1300) >= until - dt.timedelta(days=300)
            if not (grade == 1 and day < OUTSTANDING_EXEMPT_UNTIL):
                outcome = _ungraded_outcome(day, grade, next_grade if last else grade)
                out.append(Event(day, Kind.UNGRADED, grade, UNGRADED_TYPE, outcome))
            day += _days(rng, 1300, 1650)
    elif grade == 3:
        day = _after_pause(rng, anchor.date + _days(rng, 150, 300))
        if rng.random() < 0.35 and day < until - dt.timedelta(days=90):
            out.append(Event(day, Kind.MONITORING, grade, RI_MONITORING_TYPE, _monitoring(rng)))
    else:
        day = anchor.date + _days(rng, 90, 150)
        for visit in range(1, 3 if anchor.concern == "SWK" else 4):
            day = _after_pause(rng, day)
            if day >= until - dt.timedelta(days=60):
                break
            if anchor.concern == "SWK":
                kind = f"Schools with Serious Weaknesses Visit {visit}"
            else:
                kind = f"S8 Special Measures Monitoring Visit {visit}"
            out.append(Event(day, Kind.MONITORING, grade, kind, _monitoring(rng), anchor.concern))
            day += _days(rng, 120, 200)
    return out


def _ungraded_outcome(day: dt.date, grade: int, next_grade: int) -> str:
    label = "Outstanding" if grade == 1 else "Good"
    if day >= NO_GRADE_START:
        if next_grade > grade:
            return "Some aspects not as strong"
        return "Improved significantly" if next_grade < grade else "Standards maintained"
    if next_grade > grade:
        return f"School remains {label} (Concerns) - S5 Next"
    if next_grade < grade:
        return f"School remains {label} (Improved significantly) - S5 Next"
    return f"School remains {label}"


def _monitoring(rng) -> str:
    return "Taking effective action" if rng.random() < 0.8 else "Not taking effective action"


# -- rows ----------------------------------------------------------------------------------


def inspection_rows(rng, timelines) -> list[dict]:
    """OfstedInspection rows (keyed by school URN) for (school, predecessor, events,
    inherit) timelines. With `inherit`, the predecessor's inspections from its last
    graded one are recorded against the academy with the predecessor's URN, as Ofsted's
    files do for an academy not yet inspected itself."""
    rows = []
    for school, predecessor, events, inherit in timelines:
        conversion = school["opened_on"] if predecessor else None
        inherited_from = None
        if inherit:
            graded = [e.date for e in events if e.date < conversion and e.kind == Kind.GRADED]
            inherited_from = graded[-1] if graded else None
        for event in events:
            owner, urn_at_time = school, ""
            if conversion and event.date < conversion:
                if inherited_from and event.date >= inherited_from:
                    urn_at_time = predecessor["urn"]
                else:
                    owner = predecessor
            rows.append(_row(rng, event, owner["urn"], urn_at_time, school))
    # Inspection numbers rise with the date: 6 digits before 2010/11, then 8 digits.
    rows.sort(key=lambda r: (r["start_date"], r["school_urn"], r["inspection_type"]))
    old, new = 300000, 10000000
    for row in rows:
        if row["start_date"] < dt.date(2010, 9, 1):
            old += 1 + (rng.random() < 0.4)
            row["inspection_number"] = str(old)
        else:
            new += 1 + (rng.random() < 0.4)
            row["inspection_number"] = str(new)
    return rows


def _near(rng, grade: int, weights: dict) -> int:
    return rng.choices((1, 2, 3, 4), weights=weights[grade])[0]


def _row(rng, event: Event, urn: str, urn_at_time: str, school: dict) -> dict:
    day = event.date
    two_days = event.kind in (Kind.GRADED, Kind.REPORT_CARD) or day >= EIF_START
    end = day + dt.timedelta(days=1 if two_days else 0)
    row = {
        "school_urn": urn,
        "kind": event.kind,
        "inspection_type": event.inspection_type,
        "start_date": day,
        "end_date": end,
        "publication_date": end + _days(rng, 18, 45),
        "overall_effectiveness": None,
        "category_of_concern": event.concern,
        "ungraded_outcome": event.outcome,
        "urn_at_time": urn_at_time,
        "safeguarding_effective": True,
        "source": OfstedInspection.Source.SEED,
    }
    grade = event.grade
    if event.kind == Kind.GRADED:
        eif = day >= EIF_START
        if day < NO_GRADE_START:
            row["overall_effectiveness"] = grade
        row["quality_of_education"] = _near(rng, grade, SUB_MAIN) if eif else None
        row["leadership_and_management"] = _near(rng, grade, SUB_LEAD)
        row["behaviour_and_attitudes"] = _near(rng, grade, SUB_OTHER)
        # Before the EIF one judgement covered personal development and behaviour.
        row["personal_development"] = (
            _near(rng, grade, SUB_OTHER) if eif else row["behaviour_and_attitudes"]
        )
        if school["_ey"]:
            row["early_years"] = _near(rng, grade, SUB_OTHER)
        if school["_sixth"]:
            row["sixth_form"] = _near(rng, grade, SUB_OTHER)
        row["safeguarding_effective"] = not (grade == 4 and rng.random() < 0.4)
    elif event.kind == Kind.REPORT_CARD:
        areas = list(RC_AREAS)
        areas += ["rc_early_years"] if school["_ey"] else []
        areas += ["rc_post_16"] if school["_sixth"] else []
        for area in areas:
            step = rng.choices((-1, 0, 1), weights=(20, 60, 20))[0]
            row[area] = RC_SCALE[min(4, max(0, grade + step))]
        row["rc_safeguarding_met"] = not (grade == 4 and rng.random() < 0.5)
        row["safeguarding_effective"] = None
        if grade == 4:
            row["rc_leadership_and_governance"] = RC.URGENT
            row["category_of_concern"] = "SWK" if row["rc_safeguarding_met"] else "SM"
    return row
