"""Writing the register out as the files GIAS and Ofsted publish, in their exact
formats (Windows-1252, CRLF, text quoted, integers bare, no final newline), so the
importers and benchmarks have realistic inputs (`seed_demo --export-files DIR`)."""

import datetime as dt
from pathlib import Path

from schools import published_headers
from schools.importers import formats
from schools.importers.csvout import write_published
from schools.models import OfstedInspection, School, SchoolLink, Trust

TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", "Prof", "Sir", "Dame", "Rev"})
STATUS_NAMES = {
    School.Status.OPEN: (1, "Open"),
    School.Status.CLOSED: (2, "Closed"),
    School.Status.OPEN_PROPOSED_TO_CLOSE: (3, "Open, but proposed to close"),
    School.Status.PROPOSED_TO_OPEN: (4, "Proposed to open"),
}
GOR = {name: (letter, code) for code, letter, name in formats.REGIONS}
GROUP_TYPES = {Trust.Kind.MULTI_ACADEMY: 6, Trust.Kind.SINGLE_ACADEMY: 10}


def _dmy(value: dt.date | None, sep: str = "-") -> str:
    return value.strftime(f"%d{sep}%m{sep}%Y") if value else ""


def _split_name(full: str) -> tuple[str, str, str]:
    parts = full.split()
    title = parts.pop(0) if parts and parts[0] in TITLES else ""
    last = parts.pop() if parts else ""
    return title, " ".join(parts), last


def _int_or_text(value: str):
    return int(value) if value.isdigit() and not value.startswith("0") else value


def export_register(directory: Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.date.today().strftime("%Y%m%d")
    return [
        export_establishments(directory / f"edubasealldata{stamp}.csv"),
        export_groups(directory / "allgroupsdata.csv"),
        export_group_links(directory / f"grouplinks_edubaseallacademiesandfree{stamp}.csv"),
        export_links(directory / f"links_edubasealldata{stamp}.csv"),
        export_ofsted(
            directory
            / f"Management_information_state_funded_schools_latest_inspections_{stamp}.csv"
        ),
    ]


def establishment_row(school: School) -> list:
    la = school.local_authority
    region = school.region.name if school.region else ""
    letter, _code = GOR.get(region, ("", ""))
    status_code, status_name = STATUS_NAMES[school.status]
    title, first, last = _split_name(school.headteacher)
    number = school.laestab[3:] if len(school.laestab) == 7 else ""
    trust = school.trust
    values = {
        "URN": int(school.urn),
        "LA (code)": la.code if la else "",
        "LA (name)": la.name if la else "",
        "EstablishmentNumber": _int_or_text(number),
        "EstablishmentName": school.name,
        "TypeOfEstablishment (code)": _int_or_text(school.type_code),
        "TypeOfEstablishment (name)": school.type_name,
        "EstablishmentTypeGroup (name)": school.type_group,
        "EstablishmentStatus (code)": status_code,
        "EstablishmentStatus (name)": status_name,
        "ReasonEstablishmentOpened (name)": school.open_reason or "Not applicable",
        "OpenDate": _dmy(school.opened_on),
        "ReasonEstablishmentClosed (name)": school.close_reason or "Not applicable",
        "CloseDate": _dmy(school.closed_on),
        "PhaseOfEducation (name)": school.phase or "Not applicable",
        "StatutoryLowAge": school.statutory_low_age,
        "StatutoryHighAge": school.statutory_high_age,
        "ReligiousCharacter (name)": school.religious_character or "Does not apply",
        "Diocese (code)": "0000",
        "Diocese (name)": school.diocese or "Not applicable",
        "NumberOfPupils": school.number_of_pupils,
        "PercentageFSM": "" if school.percentage_fsm is None else f"{school.percentage_fsm:.1f}",
        "Trusts (code)": int(trust.uid) if trust and trust.uid.isdigit() else "",
        "Trusts (name)": trust.name if trust else "",
        "Street": school.street,
        "Locality": school.locality,
        "Address3": school.address3,
        "Town": school.town,
        "County (name)": school.county or "Not recorded",
        "Postcode": school.postcode,
        "Easting": school.easting,
        "Northing": school.northing,
        "HeadTitle (name)": title or "Not applicable",
        "HeadFirstName": first,
        "HeadLastName": last,
        "GOR (code)": letter,
        "GOR (name)": region,
        "Country (name)": "United Kingdom",
        "LastChangedDate": _dmy(dt.date.today()),
    }
    if school.percentage_fsm is not None and school.percentage_fsm != round(
        school.percentage_fsm, 1
    ):
        values["PercentageFSM"] = f"{school.percentage_fsm:.2f}"
    return [values.get(column, "") for column in published_headers.GIAS_ESTABLISHMENT_COLUMNS]


def export_establishments(path: Path) -> Path:
    schools = School.objects.select_related("local_authority", "region", "trust").order_by("urn")
    rows = (establishment_row(s) for s in schools.iterator(chunk_size=2000))
    return write_published(path, published_headers.GIAS_ESTABLISHMENT_COLUMNS, rows)


def export_groups(path: Path) -> Path:
    rows = []
    for trust in Trust.objects.order_by("uid"):
        title, first, last = _split_name(trust.head_of_group)
        group_type = trust.group_type or trust.get_kind_display()
        status = trust.get_status_display()
        rows.append(
            [
                _int_or_text(trust.uid),
                trust.group_id,
                trust.name,
                trust.companies_house_number,
                GROUP_TYPES.get(trust.kind, ""),
                group_type,
                _dmy(trust.closed_on, "/"),
                _dmy(trust.opened_on, "/"),
                _dmy(trust.opened_on, "/"),
                "CLOSED" if trust.status == Trust.Status.CLOSED else "OPEN",
                status,
                trust.street,
                trust.locality,
                trust.address3,
                trust.town,
                trust.county or "Not recorded",
                trust.postcode,
                title,
                first,
                last,
                _int_or_text(trust.ukprn),
            ]
        )
    return write_published(path, published_headers.GROUPS_HEADER, rows)


def export_group_links(path: Path) -> Path:
    rows = []
    schools = (
        School.objects.filter(trust__isnull=False)
        .select_related("trust", "local_authority")
        .order_by("urn")
    )
    for school in schools:
        trust, la = school.trust, school.local_authority
        rows.append(
            [
                int(school.urn),
                _int_or_text(trust.uid),
                trust.name,
                trust.companies_house_number,
                trust.group_type or trust.get_kind_display(),
                _dmy(trust.closed_on),
                trust.get_status_display(),
                "Not applicable",
                _dmy(school.trust_joined_on),
                school.name,
                _int_or_text(school.type_code),
                school.type_name,
                "",
                school.phase,
                la.code if la else "",
                la.name if la else "",
                "",  # HasSharedHT: absent from every data row, as published
            ]
        )
    return write_published(path, published_headers.GROUP_LINKS_HEADER, rows, drop_trailing=1)


def export_links(path: Path) -> Path:
    rows = [
        [
            int(link.urn),
            int(link.linked_urn),
            link.linked_name,
            link.link_type,
            _dmy(link.established_on),
        ]
        for link in SchoolLink.objects.order_by("urn", "linked_urn", "link_type")
    ]
    return write_published(path, published_headers.LINKS_HEADER, rows)


def _grade(value):
    return "NULL" if value is None else value


def _graded_columns(prefix: str, inspection: OfstedInspection | None) -> dict:
    """Columns of generation B for the latest ("") or previous ("p") graded inspection."""
    if inspection is None:
        return {}
    i = inspection
    relates = "No" if i.urn_at_time and i.urn_at_time != i.school.urn else "Yes"
    overall = "Not judged" if i.overall_effectiveness is None else i.overall_effectiveness
    safeguarding = "NULL" if i.safeguarding_effective is None else i.safeguarding_effective
    subs = (
        ("quality of education", i.quality_of_education),
        ("behaviour and attitudes", i.behaviour_and_attitudes),
        ("personal development", i.personal_development),
        ("effectiveness of leadership and management", i.leadership_and_management),
        ("early years provision (where applicable)", i.early_years),
        ("sixth form provision (where applicable)", i.sixth_form),
    )
    if prefix == "":
        out = {
            "Inspection number of latest graded inspection": _int_or_text(i.inspection_number),
            "Inspection type": i.inspection_type,
            "Inspection type grouping": "Section 5",
            "Event type grouping": "Standard inspection",
            "Inspection start date": _dmy(i.start_date, "/"),
            "Inspection end date": _dmy(i.end_date, "/"),
            "Publication date": _dmy(i.publication_date, "/"),
            "Does the latest graded inspection relate to the URN of the current school?": relates,
            "URN at time of latest graded inspection": int(i.urn_at_time or i.school.urn),
            "Overall effectiveness": overall,
            "Category of concern": i.category_of_concern,
            "Safeguarding is effective?": safeguarding,
        }
        out.update({name.capitalize(): _grade(value) for name, value in subs})
        return out
    out = {
        "Previous graded inspection number": _int_or_text(i.inspection_number),
        "Previous inspection start date": _dmy(i.start_date, "/"),
        "Previous inspection end date": _dmy(i.end_date, "/"),
        "Previous publication date": _dmy(i.publication_date, "/"),
        "Does the previous graded inspection relate to the URN of the current school?": relates,
        "URN at time of previous graded inspection": int(i.urn_at_time or i.school.urn),
        "Previous graded inspection overall effectiveness": overall,
        "Previous category of concern": i.category_of_concern,
        "Previous safeguarding is effective?": safeguarding,
    }
    out.update({f"Previous {name}": _grade(value) for name, value in subs})
    return out


def export_ofsted(path: Path) -> Path:
    """Ofsted MI generation B: per open school, its latest and previous graded and
    latest ungraded inspection (published records only, not inferred ones)."""
    history: dict[int, list[OfstedInspection]] = {}
    inspections = (
        OfstedInspection.objects.exclude(source=OfstedInspection.Source.INFERRED)
        .exclude(kind=OfstedInspection.Kind.REPORT_CARD)
        .filter(school__status__in=School.OPEN_STATUSES)
        .select_related("school", "school__local_authority", "school__region")
        .order_by("school_id", "-start_date", "-inspection_number")
    )
    for inspection in inspections.iterator(chunk_size=2000):
        history.setdefault(inspection.school_id, []).append(inspection)
    rows = []
    for school_inspections in history.values():
        school = school_inspections[0].school
        graded = [i for i in school_inspections if i.kind == OfstedInspection.Kind.GRADED]
        latest = graded[0] if graded else None
        others = [i for i in school_inspections if i.kind != OfstedInspection.Kind.GRADED]
        if latest:
            others = [i for i in others if i.start_date > latest.start_date]
        row = {
            "Web link": "http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/"
            f"provider/ELS/{school.urn}",
            "URN": int(school.urn),
            "LAESTAB": _int_or_text(school.laestab),
            "School name": school.name,
            "Ofsted phase": school.phase,
            "Type of education": school.type_name,
            "Region": school.region.name if school.region else "",
            "Ofsted region": school.region.name if school.region else "",
            "Local authority": school.local_authority.name if school.local_authority else "",
            "Postcode": school.postcode,
            "Total number of pupils": school.number_of_pupils,
            "Number of ungraded inspections since the last graded inspection": len(others),
        }
        row.update(_graded_columns("", latest))
        row.update(_graded_columns("p", graded[1] if len(graded) > 1 else None))
        if others:
            u = others[0]
            row.update(
                {
                    "Latest ungraded inspection number since last graded inspection": (
                        _int_or_text(u.inspection_number)
                    ),
                    "Does the ungraded inspection relate to the URN of the current school?": (
                        "No" if u.urn_at_time and u.urn_at_time != school.urn else "Yes"
                    ),
                    "URN at time of the ungraded inspection": int(u.urn_at_time or school.urn),
                    "Date of latest ungraded inspection": _dmy(u.start_date, "/"),
                    "Ungraded inspection publication date": _dmy(u.publication_date, "/"),
                    "Ungraded inspection overall outcome": u.ungraded_outcome,
                }
            )
        if latest is None:
            continue  # generation B has no row for a school never graded
        rows.append([row.get(column, "NULL") for column in published_headers.OFSTED_B_HEADER])
    return write_published(path, published_headers.OFSTED_B_HEADER, rows)
