"""GIAS establishment links (links_edubasealldata<date>.csv) -> SchoolLink.

Links are kept by URN: the other end may be closed, Welsh or absent."""

from schools.importers import formats
from schools.importers.base import Importer, Row
from schools.importers.db import upsert
from schools.importers.values import parse_date, parse_urn, text
from schools.models import SchoolLink

_KINDS = {
    "predecessor": SchoolLink.Kind.PREDECESSOR,
    "successor": SchoolLink.Kind.SUCCESSOR,
    "predecessor - split school": SchoolLink.Kind.PREDECESSOR,
    "successor - split school": SchoolLink.Kind.SUCCESSOR,
}


def link_kind(link_type: str) -> str:
    lowered = link_type.casefold()
    if lowered in _KINDS:
        return _KINDS[lowered]
    if "amalgamat" in lowered:
        return SchoolLink.Kind.AMALGAMATED
    if "merged" in lowered:
        return SchoolLink.Kind.MERGED
    return SchoolLink.Kind.OTHER


class LinksImporter(Importer):
    kind = formats.LINKS
    record_label = "links"
    record_label_one = "link"

    def prepare(self):
        super().prepare()
        self.records: dict[tuple, dict] = {}
        self.first_row: dict[tuple, int] = {}

    def parse_row(self, row: Row) -> None:
        urn = row.get("urn", parse_urn)
        linked_urn = row.get("linked_urn", parse_urn)
        link_type = text(row.raw("link_type"))
        if not link_type:
            row.problem("link_type", "The link type is missing.")
        elif len(link_type) > 64:
            row.problem("link_type", "Longer than 64 characters.")
        established_on = row.get("established_on", parse_date)
        name = text(row.raw("linked_name"))
        if len(name) > 255:
            row.problem("linked_name", "Longer than 255 characters.")
        key = (urn, linked_urn, link_type)
        if key in self.first_row:
            row.problem("urn", f"Duplicate link: already on row {self.first_row[key]}.")
        self.check(row)
        self.first_row[key] = row.number
        record = {"kind": link_kind(link_type), "established_on": established_on}
        if row.has("linked_name"):
            record["linked_name"] = name
        self.records[key] = record

    def write(self) -> None:
        outcome = upsert(SchoolLink, key=("urn", "linked_urn", "link_type"), rows=self.records)
        self.result.created = len(outcome.created)
        self.result.updated = len(outcome.updated)
        self.result.unchanged = outcome.unchanged
        self.finish_notes()
