"""GIAS groups (allgroupsdata.csv) -> Trust. Only academy trusts are imported;
federations, sponsors and other groups are skipped and counted."""

from schools.importers import formats
from schools.importers.base import Importer, Row
from schools.importers.db import upsert
from schools.importers.values import is_digits, number_code, parse_date, person_name, text
from schools.models import Trust

KINDS = {
    "multi-academy trust": Trust.Kind.MULTI_ACADEMY,
    "single-academy trust": Trust.Kind.SINGLE_ACADEMY,
}
STATUSES = {
    "open": Trust.Status.OPEN,
    "closed": Trust.Status.CLOSED,
    "proposed to open": Trust.Status.PROPOSED,
}
_TEXT = ("name", "street", "locality", "address3", "town", "county", "postcode")


class GroupsImporter(Importer):
    kind = formats.GROUPS
    record_label = "trusts"
    record_label_one = "trust"

    def prepare(self):
        super().prepare()
        self.records: dict[str, dict] = {}
        self.first_row: dict[str, int] = {}
        self.max_lengths = {
            f.attname: f.max_length for f in Trust._meta.concrete_fields if f.max_length
        }

    def _text(self, row: Row, record: dict, name: str, value: str) -> None:
        if len(value) > self.max_lengths[name]:
            row.problem(name, f"Longer than {self.max_lengths[name]} characters.")
        record[name] = value

    def parse_row(self, row: Row) -> None:
        group_type = text(row.raw("group_type"))
        kind = KINDS.get(group_type.casefold())
        if kind is None:
            self.skip(row, "groups that are not academy trusts (federations, sponsors, others)")
        uid = number_code(row.raw("uid"))
        if not is_digits(uid) or len(uid) > 10:
            row.problem("uid", "A Group UID is a number.")
        record = {"kind": kind, "group_type": group_type[:64]}
        for name in _TEXT:
            if row.has(name):
                self._text(row, record, name, text(row.raw(name)))
        if not record["name"]:
            row.problem("name", "The group name is missing.")
        if row.has("group_id"):
            self._text(row, record, "group_id", text(row.raw("group_id")))
        if row.has("ukprn"):
            self._text(row, record, "ukprn", text(row.raw("ukprn")))
        if row.has("companies_house_number"):
            number = text(row.raw("companies_house_number"))
            if is_digits(number):
                number = number.zfill(8)  # a spreadsheet re-save drops the leading zero
            self._text(row, record, "companies_house_number", number)
        status = STATUSES.get(text(row.raw("status")).casefold())
        if status is None:
            code = text(row.raw("status_code")).casefold()
            status = {"open": Trust.Status.OPEN, "closed": Trust.Status.CLOSED}.get(code)
        if status is None:
            row.problem("status", "Not a known group status.")
        record["status"] = status
        for name in ("opened_on", "closed_on"):
            if row.has(name):
                record[name] = row.get(name, parse_date)
        if row.has("head_first_name") or row.has("head_last_name"):
            head = person_name(
                row.raw("head_title"), row.raw("head_first_name"), row.raw("head_last_name")
            )
            record["head_of_group"] = head[: self.max_lengths["head_of_group"]]
        if uid in self.first_row:
            row.problem("uid", f"Duplicate Group UID: already on row {self.first_row[uid]}.")
        self.check(row)
        self.first_row[uid] = row.number
        self.records[uid] = record

    def write(self) -> None:
        outcome = upsert(Trust, key=("uid",), rows=self.records)
        self.result.created = len(outcome.created)
        self.result.updated = len(outcome.updated)
        self.result.unchanged = outcome.unchanged
        self.finish_notes()
