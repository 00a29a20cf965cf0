"""Writing files the way GIAS and Ofsted publish them: Windows-1252, CRLF, text
quoted, integers bare, often no final newline. Used by the exporter, the test
fixtures and the benchmark."""

from pathlib import Path

# Values most establishments share, as published: the test fixtures and the
# benchmark start from these.
TYPICAL_ESTABLISHMENT = {
    "ReasonEstablishmentOpened (code)": 0,
    "ReasonEstablishmentOpened (name)": "Not applicable",
    "ReasonEstablishmentClosed (code)": 0,
    "ReasonEstablishmentClosed (name)": "Not applicable",
    "Boarders (code)": 1,
    "Boarders (name)": "No boarders",
    "NurseryProvision (name)": "No Nursery Classes",
    "OfficialSixthForm (code)": 2,
    "OfficialSixthForm (name)": "Does not have a sixth form",
    "Gender (code)": 3,
    "Gender (name)": "Mixed",
    "ReligiousCharacter (code)": 0,
    "ReligiousCharacter (name)": "Does not apply",
    "ReligiousEthos (name)": "Does not apply",
    "Diocese (code)": "0000",
    "Diocese (name)": "Not applicable",
    "AdmissionsPolicy (code)": 0,
    "AdmissionsPolicy (name)": "Not applicable",
    "SpecialClasses (code)": 2,
    "SpecialClasses (name)": "No Special Classes",
    "CensusDate": "16-01-2025",
    "TrustSchoolFlag (code)": 0,
    "TrustSchoolFlag (name)": "Not applicable",
    "SchoolSponsorFlag (name)": "Not applicable",
    "FederationFlag (name)": "Not under a federation",
    "LastChangedDate": "02-01-2025",
    "County (name)": "Not recorded",
    "InspectorateName (name)": "Not applicable",
    "UrbanRural (name)": "(England/Wales) Urban city and town",
    "BoardingEstablishment (name)": "Does not have boarders",
    "Country (name)": "United Kingdom",
}


def _field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return '"Yes"' if value else '"No"'
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def format_rows(header, rows, *, drop_trailing: int = 0) -> str:
    """The file's text. `drop_trailing` leaves that many trailing fields off each
    data row (the group-links quirk: 16 fields under a 17-column header)."""
    lines = [",".join(_field(h) for h in header)]
    for row in rows:
        values = list(row)
        if drop_trailing:
            values = values[:-drop_trailing]
        lines.append(",".join(_field(v) for v in values))
    return "\r\n".join(lines)


def write_published(
    path: Path,
    header,
    rows,
    *,
    encoding: str = "cp1252",
    final_newline: bool = False,
    drop_trailing: int = 0,
) -> Path:
    text = format_rows(header, rows, drop_trailing=drop_trailing)
    if final_newline:
        text += "\r\n"
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path
