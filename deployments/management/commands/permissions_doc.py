"""Write docs/permissions.md: who may do what, on which records, in plain words.

The page is built from the `rules` permissions every app registers (their
predicates' names, which `rules` composes as "(a & b)", "(a | b)", "~a"), so it
cannot drift from the code: a test checks that the committed page equals this
command's output. Each permission's rule is rewritten as a list of
alternatives (role, then the conditions on the record); a predicate the
tables below do not know is a failure, so a new predicate gets its words here.

This lives in `deployments` (an app that may see every app's rules) rather
than in `portal`, which imports no app; it imports no app either: it reads the
registry that `rules` fills when the apps load.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rules.permissions import permissions

from portal.models import Role

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"

# Who: one line per role, in this order.
ROLE_NAMES = {
    "has_role_admin": "Admin",
    "has_role_regions_staff": "Regions Group staff",
    "has_role_regional_director": "Regional Directors",
    "has_role_rdp": "RDPs (Regional Delivery Partners)",
    "has_role_system_leader": "System leaders",
    "has_role_school_contact": "School and trust contacts",
    "has_role_finance": "DfE finance",
}
ROLE_ORDER = list(ROLE_NAMES)
assert set(ROLE_NAMES) == {f"has_role_{value}" for value in Role.values}, "a role has no name"

# The conditions on a record: (the words in a permission's line, what it means).
CONDITIONS = {
    "in_the_users_regions": (
        "in one of their regions",
        "The record (or its school, or for a trust its schools; for a system leader one "
        "of the regions they work in) is in one of the user's regions "
        "(`portal.scoping.in_users_regions`).",
    ),
    "acts_for_the_school_or_trust": (
        "about their school or trust",
        "The user is a contact of the school or trust the record is about, or a contact "
        "of that school's trust: a trust's contacts act for every school in the trust "
        "(`portal.scoping.acts_for`; e-mails go to the same people, "
        "`portal.scoping.contacts_of`).",
    ),
    "once_the_rdp_has_contacted_the_school": (
        "once the RDP has contacted the school or trust",
        "The support case records that the RDP has contacted the school or trust.",
    ),
    "is_cases_system_leader": (
        "proposed to them, once they have been asked",
        "The user is the system leader proposed on the support case, and has been asked.",
    ),
    "leads_the_deployment": (
        "a deployment they lead",
        "The user is the deployment's system leader.",
    ),
    "contact_of_the_partner_trust": (
        "grants to their trust (the partner trust)",
        "The user is a contact of the trust a funded partnership grant is paid to "
        "(the user's trust is the grant's partner trust).",
    ),
    "is_the_claims_system_leader": (
        "their own claims",
        "The user is the system leader who made the claim.",
    ),
    "did_not_decide": (
        "decided by someone else",
        "The user did not make the decision being undone (a second pair of eyes).",
    ),
    "requested_it": (
        "requests they made",
        "The user made the exception request.",
    ),
    "is_that_system_leader": (
        "their own profile",
        "The system leader's record is the user's own.",
    ),
    "leads_an_active_deployment_at_the_school": (
        "schools where they lead an open deployment",
        "The user leads an open deployment at the school.",
    ),
    "at_an_ombudsman_stage": (
        "at an ombudsman stage",
        "The complaint has reached a stage the ombudsman handles.",
    ),
    "one_of_their_regions": (
        "for one of their regions (not all of England)",
        "The oversight figures asked for are of one of the user's regions; the national "
        "view (no region) is not one.",
    ),
    "created_the_object": (
        "jobs they started",
        "The user started the background job.",
    ),
    "holds_the_jobs_view_permission": (
        "jobs whose results they may see",
        "The user holds the permission that the job's kind names for seeing it.",
    ),
}
NEGATED = {"at_an_ombudsman_stage": "not yet at an ombudsman stage"}
# Every permission needs an active, signed-in user; these say nothing more.
SIGNED_IN = {"is_authenticated", "is_active"}

_TOKEN = re.compile(r"\(|\)|&|\||\^|~|[A-Za-z_][A-Za-z0-9_]*")


def _parse(name: str):
    tokens = _TOKEN.findall(name)

    def node(i):
        token = tokens[i]
        if token == "~":
            inner, i = node(i + 1)
            return ("not", inner), i
        if token == "(":
            left, i = node(i + 1)
            op = tokens[i]
            right, i = node(i + 1)
            if tokens[i] != ")" or op not in "&|":
                raise CommandError(f"cannot read the rule {name!r}")
            return (op, left, right), i + 1
        return ("leaf", token), i + 1

    tree, end = node(0)
    if end != len(tokens):
        raise CommandError(f"cannot read the rule {name!r}")
    return tree


def _dnf(tree, positive=True) -> list[frozenset]:
    """The rule as alternatives, each a set of (predicate name, holds) literals."""
    kind = tree[0]
    if kind == "leaf":
        return [frozenset({(tree[1], positive)})]
    if kind == "not":
        return _dnf(tree[1], not positive)
    op = tree[0] if positive else {"&": "|", "|": "&"}[tree[0]]
    left, right = _dnf(tree[1], positive), _dnf(tree[2], positive)
    if op == "|":
        return left + right
    return [a | b for a in left for b in right]


def alternatives(rule_name: str) -> list[tuple[list[str], list[list[tuple[str, bool]]]]]:
    """[(roles, [conditions, ...])] for one rule: roles (predicate names, "" for
    anyone signed in) who may, on records meeting every condition of one of
    the condition lists (an empty list: any record)."""
    terms = []
    for term in _dnf(_parse(rule_name)):
        term = {(name, holds) for name, holds in term if name not in SIGNED_IN}
        if any((name, not holds) in term for name, holds in term):
            continue  # a contradiction: nobody
        roles = {name for name, holds in term if holds and name in ROLE_NAMES}
        if len(roles) > 1:
            continue  # a user has one role
        if roles:  # holding one role, a user holds no other: "not Admin" says nothing more
            term = {(n, h) for n, h in term if n not in ROLE_NAMES or (h and n in roles)}
        terms.append(frozenset(term))
    terms = [t for t in set(terms) if not any(o < t for o in terms)]
    grouped: dict[frozenset, set] = {}
    for term in terms:
        roles = {name for name, _ in term if name in ROLE_NAMES}
        conditions = frozenset((n, h) for n, h in term if n not in ROLE_NAMES)
        grouped.setdefault(conditions, set()).update(roles or {""})
    rows: dict[tuple, list] = {}
    for conditions, roles in grouped.items():
        ordered = tuple(sorted(roles, key=_role_rank))
        rows.setdefault(ordered, []).append(sorted(conditions, key=_condition_rank))
    return sorted(
        ((list(roles), sorted(either)) for roles, either in rows.items()),
        key=lambda row: _role_rank(row[0][0]),
    )


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role else -1


def _condition_rank(literal: tuple[str, bool]) -> tuple[int, bool]:
    names = list(CONDITIONS)
    return (names.index(literal[0]) if literal[0] in names else len(names), not literal[1])


def _condition_words(name: str, holds: bool) -> str:
    if name not in CONDITIONS:
        raise CommandError(
            f"the predicate {name!r} has no words: add it to CONDITIONS in {__name__}"
        )
    if holds:
        return CONDITIONS[name][0]
    return NEGATED.get(name, f"not {CONDITIONS[name][0]}")


def _who(roles: list[str]) -> str:
    names = [ROLE_NAMES[r] if r else "Anyone signed in" for r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def render() -> str:
    lines = [
        "# Who may do what, on which records",
        "",
        "Generated by `python manage.py permissions_doc` from the `rules` permissions "
        "(one name per action, shared by the HTML pages and the API). Do not edit by "
        "hand: `tests/deployments/test_permissions_doc.py` fails when this page is not "
        "current.",
        "",
        "Every permission needs an active, signed-in user. A line names who may, and on "
        "which records; a permission nobody in a line holds is refused. Without a record "
        '(links, menus) a condition answers "for some record"; every action checks again '
        "with its record, and every list shows only the records the same conditions allow.",
        "",
        "## Conditions",
        "",
        "| Condition | Meaning |",
        "| --- | --- |",
    ]
    for name, (words, meaning) in CONDITIONS.items():
        lines.append(f"| {words} (`{name}`) | {meaning} |")
    by_app: dict[str, list[str]] = {}
    for perm in sorted(permissions):
        by_app.setdefault(perm.split(".", 1)[0], []).append(perm)
    for app, perms in by_app.items():
        lines += ["", f"## {app}"]
        for perm in perms:
            action = perm.split(".", 1)[1].replace("_", " ")
            lines += ["", f"### `{perm}`: {action}", ""]
            rows = alternatives(permissions[perm].name)
            if not rows:
                lines.append("- Nobody")
            for roles, either in rows:
                where = ", or ".join(
                    " and ".join(_condition_words(n, h) for n, h in conditions) or "any record"
                    for conditions in either
                )
                lines.append(f"- {_who(roles)}: {where}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write docs/permissions.md from the registered rules (--check: fail if stale)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the page is stale."
        )

    def handle(self, *args, check=False, **options):
        text = render()
        if check:
            current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
            if current != text:
                raise CommandError(f"{DOC_PATH} is stale: run manage.py permissions_doc")
            self.stdout.write(f"{DOC_PATH} is current.")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_PATH}.")
