"""GIAS group links (grouplinks_*.csv) -> School.trust and trust_joined_on.

An establishment appears once per group it belongs to (its trust, its sponsor);
only academy trusts in the register set membership. Where a school has several
trust links, the open one joined most recently wins."""

import datetime as dt

from portal.text import counted
from schools.importers import formats
from schools.importers.base import Importer, Row
from schools.importers.db import upsert
from schools.importers.groups import KINDS
from schools.importers.values import number_code, parse_date, parse_urn, text
from schools.models import School, Trust


class GroupLinksImporter(Importer):
    kind = formats.GROUP_LINKS
    record_label = "trust memberships"
    record_label_one = "trust membership"

    def prepare(self):
        super().prepare()
        self.urns = set(School.objects.values_list("urn", flat=True))
        self.trusts = dict(Trust.objects.values_list("uid", "pk"))
        self.candidates: dict[str, list[tuple]] = {}
        self.seen: dict[tuple, int] = {}

    def parse_row(self, row: Row) -> None:
        urn = row.get("urn", parse_urn)
        uid = number_code(row.raw("uid"))
        group_type = text(row.raw("group_type"))
        trust_id = self.trusts.get(uid)
        if not uid:
            row.problem("uid", "The group UID is missing.")
        elif trust_id is None:
            if group_type and group_type.casefold() not in KINDS:
                self.skip(row, "links to groups that are not academy trusts")
            row.problem(
                "uid", "Trust not in the register: import the groups file (allgroupsdata) first."
            )
        joined_on = row.get("joined_on", parse_date)
        closed_on = row.get("closed_on", parse_date)
        if urn and urn not in self.urns:
            row.problem("urn", "School not in the register: import the establishments file first.")
        if (urn, uid) in self.seen:
            row.problem("urn", f"Duplicate link: already on row {self.seen[(urn, uid)]}.")
        self.check(row)
        self.seen[(urn, uid)] = row.number
        is_open = closed_on is None and text(row.raw("group_status")).casefold() != "closed"
        self.candidates.setdefault(urn, []).append((is_open, joined_on, trust_id))

    def write(self) -> None:
        rows = {}
        for urn, links in self.candidates.items():
            is_open, joined_on, trust_id = max(links, key=lambda c: (c[0], c[1] or dt.date.min))
            rows[urn] = {"trust_id": trust_id, "trust_joined_on": joined_on}
        outcome = upsert(School, key=("urn",), rows=rows, create=False)
        self.result.updated = len(outcome.updated)
        self.result.unchanged = outcome.unchanged
        superseded = sum(len(links) - 1 for links in self.candidates.values())
        if superseded:
            older = counted(
                superseded,
                "row was an older or closed trust link",
                "rows were older or closed trust links",
            )
            self.result.notes.append(
                f"{older} of a school that has a newer one; the newest open link was used."
            )
        self.finish_notes()
