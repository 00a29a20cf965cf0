"""The real GIAS and Ofsted file formats: one alias map per file kind, the
columns each kind requires, and how to tell header generations apart.

Columns are matched by name, never by position. Header names are compared after
`normalise_header` (case, surrounding and repeated spaces, a BOM), so "Latest OEIF
 safeguarding is effective?" (two spaces, as published) matches either way.
"""

import re
from dataclasses import dataclass, field

ESTABLISHMENTS = "gias_establishments"
GROUPS = "gias_groups"
GROUP_LINKS = "gias_group_links"
LINKS = "gias_links"
OFSTED = "ofsted_mi"

KIND_CHOICES = (
    (ESTABLISHMENTS, "GIAS establishments (edubasealldata)"),
    (GROUPS, "GIAS groups (allgroupsdata)"),
    (GROUP_LINKS, "GIAS group links (grouplinks)"),
    (LINKS, "GIAS establishment links (links_edubasealldata)"),
    (OFSTED, "Ofsted management information (state-funded schools)"),
)
KIND_LABELS = dict(KIND_CHOICES)
IMPORT_JOB_KIND = "schools.import"  # the BackgroundJob kind that runs an import

_SPACES = re.compile(r"\s+")


def normalise_header(name: str) -> str:
    return _SPACES.sub(" ", name.replace("\ufeff", "")).strip().casefold()


@dataclass(frozen=True)
class ColumnMap:
    """Field name -> the header names it has been published under (first is the
    current name, used in messages)."""

    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    def resolve(self, header: list[str]) -> dict[str, int]:
        """Field -> column index for the fields this header has."""
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            positions.setdefault(normalise_header(name), index)
        found = {}
        for name, aliases in self.aliases.items():
            for alias in aliases:
                index = positions.get(normalise_header(alias))
                if index is not None:
                    found[name] = index
                    break
        return found

    def missing(self, found: dict[str, int]) -> list[str]:
        return [self.aliases[name][0] for name in self.required if name not in found]

    def column_name(self, name: str) -> str:
        return self.aliases[name][0]


@dataclass(frozen=True)
class Generation:
    """A recognised header generation of a file kind."""

    code: str
    label: str
    columns: ColumnMap
    notes: tuple[str, ...] = field(default=())


def _has(header: list[str], *names: str) -> bool:
    have = {normalise_header(h) for h in header}
    return all(normalise_header(n) in have for n in names)


# Regions by GIAS "GOR (name)", with their ONS code and GIAS "GOR (code)" letter.
REGIONS = (
    ("E12000001", "A", "North East"),
    ("E12000002", "B", "North West"),
    ("E12000003", "D", "Yorkshire and the Humber"),
    ("E12000004", "E", "East Midlands"),
    ("E12000005", "F", "West Midlands"),
    ("E12000006", "G", "East of England"),
    ("E12000007", "H", "London"),
    ("E12000008", "J", "South East"),
    ("E12000009", "K", "South West"),
)
OUT_OF_SCOPE_REGIONS = ("wales (pseudo)",)

# ---------------------------------------------------------------- establishments
ESTABLISHMENT_COLUMNS = ColumnMap(
    aliases={
        "urn": ("URN",),
        "la_code": ("LA (code)", "LA"),
        "la_name": ("LA (name)",),
        "establishment_number": ("EstablishmentNumber",),
        "name": ("EstablishmentName",),
        "type_code": ("TypeOfEstablishment (code)",),
        "type_name": ("TypeOfEstablishment (name)", "TypeOfEstablishment"),
        "type_group": ("EstablishmentTypeGroup (name)", "EstablishmentTypeGroup"),
        "status": ("EstablishmentStatus (name)", "EstablishmentStatus"),
        "open_reason": ("ReasonEstablishmentOpened (name)", "ReasonEstablishmentOpened"),
        "opened_on": ("OpenDate",),
        "close_reason": ("ReasonEstablishmentClosed (name)", "ReasonEstablishmentClosed"),
        "closed_on": ("CloseDate",),
        "phase": ("PhaseOfEducation (name)", "PhaseOfEducation"),
        "statutory_low_age": ("StatutoryLowAge",),
        "statutory_high_age": ("StatutoryHighAge",),
        "religious_character": ("ReligiousCharacter (name)", "ReligiousCharacter"),
        "diocese": ("Diocese (name)", "Diocese"),
        "number_of_pupils": ("NumberOfPupils",),
        "percentage_fsm": ("PercentageFSM",),
        "easting": ("Easting",),
        "northing": ("Northing",),
        "trust_uid": ("Trusts (code)",),
        "street": ("Street",),
        "locality": ("Locality",),
        "address3": ("Address3",),
        "town": ("Town",),
        "county": ("County (name)", "County"),
        "postcode": ("Postcode",),
        "head_title": ("HeadTitle (name)", "HeadTitle"),
        "head_first_name": ("HeadFirstName",),
        "head_last_name": ("HeadLastName",),
        "region": ("GOR (name)", "GOR"),
    },
    required=("urn", "la_code", "name", "status"),
)


def establishments_generation(header: list[str]) -> Generation:
    if _has(header, "WebsiteAddress") or not _has(header, "TypeOfEstablishment (code)"):
        code, label = "edubase-2015", "EduBase layout (2015, before GIAS)"
    elif _has(header, "AccreditationExpiryDate"):
        code, label = "gias-2025", "GIAS current layout (2025, with AccreditationExpiryDate)"
    elif _has(header, "FSM"):
        code, label = "gias-2023", "GIAS 2023-2024 layout (with FSM)"
    elif _has(header, "InspectorateName (name)"):
        code, label = "gias-2020", "GIAS 2020-2022 layout (InspectorateName)"
    else:
        code, label = "gias-2017", "GIAS layout before 2020 (Inspectorate (name))"
    return Generation(code, label, ESTABLISHMENT_COLUMNS)


# ------------------------------------------------------------------------ groups
GROUP_COLUMNS = ColumnMap(
    aliases={
        "uid": ("Group UID", "UID"),
        "group_id": ("Group ID",),
        "name": ("Group Name",),
        "companies_house_number": ("Companies House Number",),
        "group_type": ("Group Type",),
        "closed_on": ("Closed Date",),
        "opened_on": ("Incorporated on (open date)", "Open date"),
        "status_code": ("Group Status (code)", "Status (code)"),
        "status": ("Group Status", "Status"),
        "street": ("Group Street", "Group Contact Street"),
        "locality": ("Group Locality", "Group Contact Locality"),
        "address3": ("Group Address 3", "Group Contact Address 3"),
        "town": ("Group Town", "Group Contact Town"),
        "county": ("Group County", "Group Contact County"),
        "postcode": ("Group Postcode", "Group Contact Postcode"),
        "head_title": ("Head of Group Title",),
        "head_first_name": ("Head of Group First Name",),
        "head_last_name": ("Head of Group Last Name",),
        "ukprn": ("UKPRN",),
    },
    required=("uid", "name", "group_type"),
)


def groups_generation(header: list[str]) -> Generation:
    if _has(header, "Group UID"):
        code, label = "download-2023", "GIAS download page (allgroupsdata, 2023 header)"
    else:
        code, label = "extract-service", "GIAS extract service (UID / Status naming)"
    return Generation(code, label, GROUP_COLUMNS)


GROUP_LINK_COLUMNS = ColumnMap(
    aliases={
        "urn": ("URN",),
        "uid": ("Linked UID", "Group UID", "UID"),
        "group_name": ("Group Name",),
        "group_type": ("Group Type",),
        "group_status": ("Group Status",),
        "closed_on": ("Closed Date",),
        "joined_on": ("Joined date", "Joined Date"),
    },
    required=("urn", "uid"),
)


def group_links_generation(header: list[str]) -> Generation:
    if _has(header, "Group Type (code)") or _has(header, "Open date"):
        code, label = "extract-service", "GIAS extract service (with Group Type (code))"
    else:
        code, label = "download-2017", "GIAS group links download (2017-2019 header)"
    return Generation(code, label, GROUP_LINK_COLUMNS)


LINK_COLUMNS = ColumnMap(
    aliases={
        "urn": ("URN",),
        "linked_urn": ("LinkURN",),
        "linked_name": ("LinkName",),
        "link_type": ("LinkType",),
        "established_on": ("LinkEstablishedDate",),
    },
    required=("urn", "linked_urn", "link_type"),
)


def links_generation(header: list[str]) -> Generation:
    return Generation("links", "GIAS establishment links (links_edubasealldata)", LINK_COLUMNS)


# ------------------------------------------------------------------------ Ofsted
# Each row carries up to three inspections. Field names are "<slot>_<what>" with
# slots g (latest graded / OEIF graded), p (previous graded), u (latest ungraded)
# and r (latest report card, generation A only). Generation A reuses names that mean
# the graded inspection in B and C ("Inspection type", "Category of concern"), so A
# has its own map; B and C share one map, C's names being aliases of B's.
_SUBJUDGEMENTS = (
    ("quality", "quality of education"),
    ("behaviour", "behaviour and attitudes"),
    ("personal", "personal development"),
    ("leadership", "effectiveness of leadership and management"),
    ("safeguarding", "safeguarding is effective?"),
    ("early_years", "early years provision (where applicable)"),
    ("sixth_form", "sixth form provision (where applicable)"),
)
_UNGRADED_COMMON = {
    "u_relates": (
        "Does the ungraded inspection relate to the URN of the current school?",
        "Does the section 8 inspection relate to the URN of the current school?",
    ),
    "u_urn_at_time": (
        "URN at time of the ungraded inspection",
        "URN at time of the section 8 inspection",
    ),
    "u_start": ("Date of latest ungraded inspection", "Date of latest section 8 inspection"),
    "u_publication": (
        "Ungraded inspection publication date",
        "Section 8 inspection publication date",
    ),
    "u_outcome": ("Ungraded inspection overall outcome", "Section 8 inspection overall outcome"),
}

OFSTED_BC_COLUMNS = ColumnMap(
    aliases={
        "urn": ("URN",),
        "laestab": ("LAESTAB",),
        "school_name": ("School name",),
        "g_number": (
            "Inspection number of latest graded inspection",
            "Inspection number of latest full inspection",
        ),
        "g_type": ("Inspection type",),
        "g_type_grouping": ("Inspection type grouping",),
        "g_start": ("Inspection start date",),
        "g_end": ("Inspection end date",),
        "g_publication": ("Publication date",),
        "g_relates": (
            "Does the latest graded inspection relate to the URN of the current school?",
            "Does the latest full inspection relate to the URN of the current school?",
        ),
        "g_urn_at_time": (
            "URN at time of latest graded inspection",
            "URN at time of latest full inspection",
        ),
        "g_overall": ("Overall effectiveness",),
        "g_concern": ("Category of concern",),
        **{f"g_{key}": (label.capitalize(),) for key, label in _SUBJUDGEMENTS},
        "p_number": ("Previous graded inspection number", "Previous full inspection number"),
        "p_start": ("Previous inspection start date",),
        "p_end": ("Previous inspection end date",),
        "p_publication": ("Previous publication date",),
        "p_relates": (
            "Does the previous graded inspection relate to the URN of the current school?",
            "Does the previous full inspection relate to the URN of the current school?",
        ),
        "p_urn_at_time": (
            "URN at time of previous graded inspection",
            "URN at time of previous full inspection",
        ),
        "p_overall": (
            "Previous graded inspection overall effectiveness",
            "Previous full inspection overall effectiveness",
        ),
        "p_concern": ("Previous category of concern",),
        **{f"p_{key}": (f"Previous {label}",) for key, label in _SUBJUDGEMENTS},
        "u_number": (
            "Latest ungraded inspection number since last graded inspection",
            "Latest section 8 inspection number since last full inspection",
        ),
        **_UNGRADED_COMMON,
    },
    required=("urn", "g_number", "g_start", "g_overall"),
)

_REPORT_CARD_AREAS = (
    ("safeguarding", "Safeguarding standards"),
    ("inclusion", "Inclusion"),
    ("curriculum", "Curriculum and teaching"),
    ("achievement", "Achievement"),
    ("attendance", "Attendance and behaviour"),
    ("personal", "Personal development and wellbeing"),
    ("early_years", "Early years (where applicable)"),
    ("post_16", "Post-16 provision (where applicable)"),
    ("leadership", "Leadership and governance"),
)

OFSTED_A_COLUMNS = ColumnMap(
    aliases={
        "urn": ("URN",),
        "laestab": ("LAESTAB",),
        "school_name": ("School name",),
        "r_number": ("Inspection number of latest full inspection",),
        "r_type": ("Inspection type",),
        "r_type_grouping": ("Inspection type grouping",),
        "r_start": ("Inspection start date",),
        "r_publication": ("Publication date",),
        "r_relates": ("Does the latest full inspection relate to the URN of the current school?",),
        "r_urn_at_time": ("URN at time of latest full inspection",),
        "r_concern": ("Category of concern",),
        **{f"r_{key}": (label,) for key, label in _REPORT_CARD_AREAS},
        "g_number": ("Inspection number of latest OEIF graded inspection",),
        "g_type": ("Inspection type of latest OEIF graded inspection",),
        "g_type_grouping": ("Inspection type grouping of latest OEIF graded inspection",),
        "g_start": ("Inspection start date of latest OEIF graded inspection",),
        "g_publication": ("Publication date of latest OEIF graded inspection",),
        "g_relates": (
            "Does the latest OEIF graded inspection relate to the URN of the current school?",
        ),
        "g_urn_at_time": ("URN at time of latest OEIF graded inspection",),
        "g_concern": ("Latest OEIF category of concern",),
        "g_overall": ("Latest OEIF overall effectiveness",),
        **{f"g_{key}": (f"Latest OEIF {label}",) for key, label in _SUBJUDGEMENTS},
        "u_number": ("Latest ungraded inspection number",),
        **_UNGRADED_COMMON,
    },
    required=("urn", "r_number", "r_start", "g_number", "g_start", "g_overall"),
)


def ofsted_generation(header: list[str]) -> Generation | None:
    if _has(header, "Latest OEIF overall effectiveness"):
        return Generation(
            "A", "Ofsted generation A (report cards, from November 2025)", OFSTED_A_COLUMNS
        )
    if _has(header, "Inspection number of latest graded inspection"):
        return Generation(
            "B", "Ofsted generation B (graded/ungraded, 2022/23 to October 2025)", OFSTED_BC_COLUMNS
        )
    if _has(header, "Previous full inspection number"):
        return Generation(
            "C", "Ofsted generation C (full/section 8, about 2019 to 2022)", OFSTED_BC_COLUMNS
        )
    return None


GENERATION_DETECTORS = {
    ESTABLISHMENTS: establishments_generation,
    GROUPS: groups_generation,
    GROUP_LINKS: group_links_generation,
    LINKS: links_generation,
    OFSTED: ofsted_generation,
}
OFSTED_MARKERS = (
    "Latest OEIF overall effectiveness",
    "Inspection number of latest graded inspection",
    "Previous full inspection number",
)


def detect_generation(kind: str, header: list[str]) -> Generation | None:
    return GENERATION_DETECTORS[kind](header)


def guess_kind(header: list[str]) -> str | None:
    """The kind a header looks like, for a 'wrong file kind' message."""
    if ofsted_generation(header) is not None:
        return OFSTED
    for kind in (ESTABLISHMENTS, LINKS, GROUP_LINKS, GROUPS):
        generation = detect_generation(kind, header)
        if not generation.columns.missing(generation.columns.resolve(header)):
            return kind
    return None
