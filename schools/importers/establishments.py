"""GIAS establishments (edubasealldata<date>.csv) -> School."""

from portal.text import counted
from schools.importers import formats
from schools.importers.base import Importer, Row
from schools.importers.db import upsert
from schools.importers.values import (
    ValueProblem,
    described,
    number_code,
    parse_code,
    parse_date,
    parse_int,
    parse_percentage,
    parse_urn,
    person_name,
    text,
)
from schools.models import LocalAuthority, Region, School, Trust

STATUSES = {
    "open": School.Status.OPEN,
    "closed": School.Status.CLOSED,
    "open, but proposed to close": School.Status.OPEN_PROPOSED_TO_CLOSE,
    "proposed to open": School.Status.PROPOSED_TO_OPEN,
}

# field -> (model attname, how to clean it)
_TEXT_FIELDS = (
    ("name", "name", text),
    ("type_name", "type_name", text),
    ("type_group", "type_group", text),
    ("phase", "phase", described),
    ("religious_character", "religious_character", described),
    ("diocese", "diocese", described),
    ("street", "street", text),
    ("locality", "locality", text),
    ("address3", "address3", text),
    ("town", "town", text),
    ("county", "county", described),
    ("postcode", "postcode", text),
    ("open_reason", "open_reason", described),
    ("close_reason", "close_reason", described),
)
_HEAD = ("head_title", "head_first_name", "head_last_name")
GRID_METRES_MAX = 1_300_000  # the National Grid's northing reaches about 1,220 km


NOTE_LISTS_UP_TO = 10  # local authorities named in the result's note


def added_note(new_las: dict[str, tuple[str, str]]) -> str:
    """The note naming the local authorities an import added: a first load adds
    about 150, too many to read in one line, so the rest are counted."""
    added = [f"{code} {name}" for code, (name, _region) in sorted(new_las.items())]
    note = f"{len(added)} local authorit{'y' if len(added) == 1 else 'ies'} added: "
    note += ", ".join(added[:NOTE_LISTS_UP_TO])
    if len(added) > NOTE_LISTS_UP_TO:
        more = len(added) - NOTE_LISTS_UP_TO
        note += f" and {more} more (each region's page lists its local authorities)"
    return note


class EstablishmentsImporter(Importer):
    kind = formats.ESTABLISHMENTS
    record_label = "schools"
    record_label_one = "school"

    def prepare(self):
        super().prepare()
        self.regions = {r.name.casefold(): r.pk for r in Region.objects.all()}
        self.missing_regions: set[str] = set()
        self.las = dict(LocalAuthority.objects.values_list("code", "pk"))
        self.la_regions = dict(LocalAuthority.objects.values_list("code", "region_id"))
        self.new_las: dict[str, tuple[str, str]] = {}  # code -> (name, region name)
        self.trusts = dict(Trust.objects.values_list("uid", "pk"))
        self.records: dict[str, dict] = {}
        self.first_row: dict[str, int] = {}
        self.unknown_trusts = 0
        cols = self.columns
        self.text_fields = [
            (cols[f], attname, clean, self.column_name(f))
            for f, attname, clean in _TEXT_FIELDS
            if f in cols
        ]
        self.max_lengths = {
            f.attname: f.max_length for f in School._meta.concrete_fields if f.max_length
        }
        self.with_head = any(f in cols for f in _HEAD)
        self.with_trust = "trust_uid" in cols
        self.region_names = {r[2].casefold(): r[2] for r in formats.REGIONS}

    def parse_row(self, row: Row) -> None:
        values = row.values
        urn = row.get("urn", parse_urn)
        region_name = text(row.raw("region"))
        if region_name.casefold() in formats.OUT_OF_SCOPE_REGIONS:
            self.skip(row, f"{region_name} establishments are not in scope")
        record = {}
        max_lengths = self.max_lengths
        for index, attname, clean, column in self.text_fields:
            value = clean(values[index])
            if len(value) > max_lengths[attname]:
                row.problems.append(
                    (column, value, f"Longer than {max_lengths[attname]} characters.")
                )
            record[attname] = value
        if not record.get("name", "x"):
            row.problem("name", "The establishment name is missing.")
        status_name = text(row.raw("status"))
        status = STATUSES.get(status_name.casefold())
        if status is None:
            row.problem("status", "Not a known establishment status.")
        record["status"] = status
        if row.has("type_code"):
            record["type_code"] = number_code(row.raw("type_code"))[:4]
        for name in ("opened_on", "closed_on"):
            if row.has(name):
                record[name] = row.get(name, parse_date)
        for name in ("statutory_low_age", "statutory_high_age"):
            if row.has(name):
                record[name] = row.get(name, parse_int, highest=99)
        low, high = record.get("statutory_low_age"), record.get("statutory_high_age")
        if low is not None and high is not None and low > high:
            row.problem("statutory_low_age", f"The lowest age {low} is above the highest {high}.")
        if row.has("number_of_pupils"):
            record["number_of_pupils"] = row.get("number_of_pupils", parse_int)
        if row.has("percentage_fsm"):
            record["percentage_fsm"] = row.get("percentage_fsm", parse_percentage)
        for name in ("easting", "northing"):
            if row.has(name):
                record[name] = self.grid_reference(row, name)
        if self.with_head:
            head = person_name(*(row.raw(f) for f in _HEAD))
            record["headteacher"] = head[: max_lengths["headteacher"]]
        # Local authority, LAESTAB and region.
        la_code = row.get("la_code", parse_code, 3, "An LA code")
        if la_code == "":
            row.problem("la_code", "The LA code is missing.")
        number = row.get("establishment_number", parse_code, 4, "An establishment number")
        if la_code and number:
            record["laestab"] = la_code + number
        elif row.has("establishment_number"):
            record["laestab"] = ""
        region_id = self.regions.get(region_name.casefold()) if region_name else None
        if la_code:
            if la_code in self.las:
                region_id = region_id or self.la_regions[la_code]
            elif la_code in self.new_las:
                region_name = region_name or self.new_las[la_code][1]
            else:
                la_name = text(row.raw("la_name"))
                in_england = region_name.casefold() in self.region_names
                if la_name and in_england:
                    self.new_las[la_code] = (la_name[:128], region_name)
                else:
                    row.problem(
                        "la_code",
                        "Unknown local authority code: it is not in the register and the row "
                        "has no LA name and English region to add it with.",
                    )
        if region_id is None and region_name:
            if region_name.casefold() in self.region_names:
                self.missing_regions.add(region_name)
            else:
                row.problem("region", "Not a known English region.")
        if urn is not None and urn in self.first_row:
            row.problem(
                "urn", f"Duplicate URN: already on row {self.first_row[urn]}; this row is ignored."
            )
        trust_uid = number_code(row.raw("trust_uid")) if self.with_trust else ""
        if self.with_trust:
            record["trust_id"] = self.trusts.get(trust_uid) if trust_uid else None
        self.check(row)
        if trust_uid and record["trust_id"] is None:
            self.unknown_trusts += 1
            self.result.warn(
                row.number,
                self.column_name("trust_uid"),
                trust_uid,
                "Trust not in the register (import the groups file first); "
                "the school was imported without its trust.",
            )
        self.first_row[urn] = row.number
        record["urn"] = urn
        record["region_id"] = region_id
        record["_la_code"] = la_code
        record["_region_name"] = region_name
        self.records[urn] = record

    def grid_reference(self, row: Row, name: str) -> int | None:
        """British National Grid metres. A bad one loses only the school's place on
        the map (matching measures distance with it), not the school: a warning."""
        value = row.raw(name)
        try:
            return parse_int(value, highest=GRID_METRES_MAX)
        except ValueProblem as exc:
            self.result.warn(
                row.number, self.column_name(name), value, f"{exc} The location is left blank."
            )
            return None

    def write(self) -> None:
        if self.missing_regions:
            codes = {name.casefold(): code for code, _letter, name in formats.REGIONS}
            Region.objects.bulk_create(
                [Region(code=codes[n.casefold()], name=n) for n in self.missing_regions],
                ignore_conflicts=True,
            )
            self.regions = {r.name.casefold(): r.pk for r in Region.objects.all()}
        if self.new_las:
            LocalAuthority.objects.bulk_create(
                [
                    LocalAuthority(code=code, name=name, region_id=self.regions[region.casefold()])
                    for code, (name, region) in self.new_las.items()
                ],
                ignore_conflicts=True,
            )
            self.las = dict(LocalAuthority.objects.values_list("code", "pk"))
            self.la_regions = dict(LocalAuthority.objects.values_list("code", "region_id"))
            self.result.notes.append(added_note(self.new_las))
        for record in self.records.values():
            record.pop("urn")
            la_code = record.pop("_la_code")
            region_name = record.pop("_region_name")
            record["local_authority_id"] = self.las[la_code]
            if record["region_id"] is None:
                record["region_id"] = (
                    self.regions.get(region_name.casefold())
                    if region_name
                    else self.la_regions[la_code]
                )
        outcome = upsert(School, key=("urn",), rows=self.records)
        self.result.created = len(outcome.created)
        self.result.updated = len(outcome.updated)
        self.result.unchanged = outcome.unchanged
        if self.unknown_trusts:
            self.result.notes.append(
                f"{counted(self.unknown_trusts, 'school names', 'schools name')} a trust "
                "that is not in the register."
            )
        self.finish_notes()
