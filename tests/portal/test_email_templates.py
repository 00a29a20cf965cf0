"""Every e-mail reads as plain text: names as typed (no HTML entities, subject
lines included), every link absolute on PORTAL_BASE_URL, dates as GOV.UK
writes them ("7 May 2024"). Each template is rendered with a realistic
context built by `email_context`; the variables a template uses are read from
its nodes, so a new template or variable without a sample value fails here."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.template import engines
from django.template.base import VariableNode
from django.template.defaulttags import ForNode, IfNode

from portal.emails import email_context, govuk_date
from portal.notify import email_queue, email_render

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
TEMPLATES = sorted(path.stem for path in EMAILS.glob("*.txt"))
BASE_URL = "https://tsi-portal.example.gov.uk"
SCHOOL = "St Mary's & St John's"
LEADER = "Siobhan O'Neill"
FREE_TEXT = 'The head said "after half-term" & <not before>'
DUE_ON = dt.date(2024, 5, 7)

# One realistic value per variable name, as the services pass them (dates as
# dates, links as portal paths): email_context turns them into the e-mail's.
SAMPLE = {
    "address": "1 Church Lane, O'Connell Street, Leeds, LS1 1AA",
    "amount": "6000.00",
    "approved": True,
    "assigned_by": "Priya Patel-O'Brien",
    "case_url": "/cases/12/",
    "changes": FREE_TEXT,
    "comments": FREE_TEXT,
    "completion_date": dt.date(2024, 7, 19),
    "concern": FREE_TEXT,
    "contacts": [{"name": "Ada Head", "email": "ada@st-marys.example.org"}],
    "context": FREE_TEXT,
    "core_days": 10,
    "days": 14,
    "days_late": 3,
    "deployment_api_url": "/api/deployments/12/",
    "deployment_url": "/deployments/12/",
    "due_on": DUE_ON,
    "ends_on": dt.date(2025, 5, 7),
    "grant_url": "/partnership-grants/3/",
    "instalments": [
        {"number": 1, "amount": "£5,000.00", "condition": "On the signed grant offer."},
        {"number": 2, "amount": "£5,000.00", "condition": "At the end & on the report."},
    ],
    "letter_url": "/partnership-grants/3/offer-letter.pdf",
    "months": 12,
    "email": "nia.newcomer@example.org",
    "expected_resume_on": dt.date(2024, 5, 21),
    "expires_on": dt.date(2024, 5, 14),
    "full_name": "Nia O'Newcomer",
    "headline": f"The match for {SCHOOL} will not go ahead",
    "headteacher": "Ms Ada Head",
    "invited_by": "Sam Smith & Co",
    "issues": FREE_TEXT,
    "kind": "Extension days",
    "link": "/complaints/7/",
    "meeting_on": dt.date(2024, 5, 14),
    "name": "Sam",
    "note": FREE_TEXT,
    "offer": "2023/24",
    "outcome": "Upheld",
    "path": "/deployments/12/",
    "paused_days": 5,
    "rationale": FREE_TEXT,
    "progress": FREE_TEXT,
    "reason": FREE_TEXT,
    "reference": "GC-2024-0007",
    "region": "Yorkshire and the Humber",
    "role": "School or trust contact",
    "school": SCHOOL,
    "school_context": FREE_TEXT,
    "school_name": SCHOOL,
    "starts_on": dt.date(2024, 5, 8),
    "scope": SCHOOL,
    "sections": ["Scope & focus", "Bank details"],
    "state": "With the school's contact",
    "status_link": "/complaints/status/",
    "step": "Waiting for the school's answer",
    "summary": FREE_TEXT,
    "system_leader": LEADER,
    "system_leader_email": "siobhan@example.org",
    "system_leader_kind": "National leader of education",
    "system_leader_name": LEADER,
    "target_code": "URN 100001",
    "target_kind": "school",
    "target_name": SCHOOL,
    "total": "£10,000.00",
    "trust_name": "O'Connor & Partners Academy Trust",
    "what_next": "The RDP will be in touch about what happens next.",
    "withdrawn_by": "Priya Patel-O'Brien, Regions Group",
}
# Templates with a branch on a flag: rendered once per value (with the
# variables that branch leaves out).
VARIANTS = {
    "deployment_enhanced_decided": [
        ({"approved": True}, set()),
        ({"approved": False}, {"completion_date", "days"}),
    ]
}

ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
URL = re.compile(r"https?://[^\s)]+")
RELATIVE_LINK = re.compile(r"(?:^|[\s(:])(/[\w-]+/[\w/-]*)", re.MULTILINE)
GOVUK_DATE = re.compile(
    r"\b[1-9]\d? (?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December) \d{4}\b"
)
OTHER_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\b0\d [A-Z][a-z]+ \d{4}")


def _names_of_expression(expression, found: set) -> None:
    lookups = getattr(expression.var, "lookups", None)
    if lookups:
        found.add(lookups[0])


def _names_of_condition(condition, found: set) -> None:
    if condition is None:
        return
    if hasattr(getattr(condition, "value", None), "var"):
        _names_of_expression(condition.value, found)
    for side in ("first", "second"):
        if getattr(condition, side, None) is not None:
            _names_of_condition(getattr(condition, side), found)


def _names_of(nodelist, bound=frozenset()) -> set:
    """The context variables a template reads (loop variables left out)."""
    found: set = set()
    for node in nodelist:
        if isinstance(node, VariableNode):
            _names_of_expression(node.filter_expression, found)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                _names_of_condition(condition, found)
                found |= _names_of(branch, bound)
        elif isinstance(node, ForNode):
            _names_of_expression(node.sequence, found)
            found |= _names_of(node.nodelist_loop, bound | set(node.loopvars))
            found |= _names_of(node.nodelist_empty, bound)
        else:
            for attribute in node.child_nodelists:
                found |= _names_of(getattr(node, attribute, None) or [], bound)
    return found - bound


def variables_of(template: str) -> set:
    compiled = engines["emails"].get_template(f"emails/{template}.txt").template
    return _names_of(compiled.nodelist)


def sample_context(template: str, **overrides) -> dict:
    used = variables_of(template)
    missing = used - SAMPLE.keys()
    assert not missing, f"give {template} a sample value for {sorted(missing)} in SAMPLE"
    return email_context({name: SAMPLE[name] for name in used}, **overrides)


CASES = [
    pytest.param(template, variant, id=f"{template}-{i}" if i else template)
    for template in TEMPLATES
    for i, variant in enumerate(VARIANTS.get(template, [({}, set())]))
]


def test_every_template_is_checked_and_the_walk_finds_variables():
    assert len(TEMPLATES) >= 35
    assert variables_of("test_message") == {"name", "school_name"}
    assert "contacts" in variables_of("case_deployment_issued")
    assert "contact" not in variables_of("case_deployment_issued")  # a loop variable


@pytest.mark.parametrize(("template", "variant"), CASES)
def test_every_email_reads_as_plain_text_with_absolute_links_and_govuk_dates(
    template, variant, settings
):
    settings.PORTAL_BASE_URL = BASE_URL
    overrides, left_out = variant
    context = sample_context(template, **overrides)
    assert json.loads(json.dumps(context)) == context  # it travels through the broker

    subject, body = email_render(template=template, context=context)
    text = f"{subject}\n{body}"

    assert not ENTITY.findall(text), f"HTML entities in {template}: {ENTITY.findall(text)}"
    assert "\n" not in subject and subject
    names = {SCHOOL, LEADER} & {str(value) for value in context.values()}
    assert SCHOOL in text, f"{template} does not name the school"
    for name in names:
        assert name in text, f"{name!r} not verbatim in {template}"
    if {"note", "reason", "concern", "rationale", "comments"} & context.keys():
        assert FREE_TEXT in body, f"free text altered in {template}"

    links = URL.findall(body)
    assert all(link.startswith(BASE_URL + "/") for link in links), links
    assert not RELATIVE_LINK.findall(body), f"relative links in {template}"
    link_variables = [key for key in context if key in ("path", "link") or key.endswith("_url")]
    assert len(links) >= len(link_variables)
    for key in link_variables:
        assert context[key] in links

    dates = [key for key, value in SAMPLE.items() if isinstance(value, dt.date)]
    for key in dates:
        if key in context and key not in left_out:
            assert govuk_date(SAMPLE[key]) in text, f"{key} not as '7 May 2024' in {template}"
    assert not OTHER_DATE.findall(text), OTHER_DATE.findall(text)
    if (set(dates) & context.keys()) - left_out:
        assert GOVUK_DATE.search(text)


def test_the_email_engine_does_not_escape_but_the_page_engine_still_does():
    """Only e-mails are unescaped: the HTML pages keep Django's autoescape."""
    page = engines["django"].from_string("{{ name }}").render({"name": SCHOOL})
    mail_text = engines["emails"].from_string("{{ name }}").render({"name": SCHOOL})
    assert page == "St Mary&#x27;s &amp; St John&#x27;s"
    assert mail_text == SCHOOL


# --- the context function --------------------------------------------------------


def test_govuk_date_writes_day_month_year_without_a_leading_zero():
    assert govuk_date(dt.date(2024, 5, 7)) == "7 May 2024"
    assert govuk_date("2024-05-07") == "7 May 2024"
    assert govuk_date("7 May 2024") == "7 May 2024"  # formatting twice is harmless
    assert govuk_date(None) == "" and govuk_date("") == ""


def test_govuk_date_of_a_moment_is_its_day_in_london():
    late_evening_utc = dt.datetime(2024, 5, 6, 23, 30, tzinfo=dt.UTC)  # 00:30 BST on the 7th
    assert govuk_date(late_evening_utc) == "7 May 2024"


def test_the_template_filter_is_the_same_helper():
    rendered = engines["emails"].from_string("{{ day|govuk_date }}").render({"day": "2024-12-25"})
    assert rendered == "25 December 2024"


def test_email_context_makes_links_absolute_and_values_plain(settings):
    from decimal import Decimal

    settings.PORTAL_BASE_URL = BASE_URL
    context = email_context(
        {"path": "/deployments/12/", "due_on": DUE_ON},
        case_url="/cases/3/",
        status_link="https://elsewhere.example.org/x/",
        amount=Decimal("6000.00"),
        contacts=[{"name": SCHOOL, "profile_url": "/users/4/"}],
        sections=("Scope", "Claim"),
        approved=False,
        blank_link="",
    )
    assert context == {
        "path": f"{BASE_URL}/deployments/12/",
        "due_on": "7 May 2024",
        "case_url": f"{BASE_URL}/cases/3/",
        "status_link": "https://elsewhere.example.org/x/",
        "amount": "6000.00",
        "contacts": [{"name": SCHOOL, "profile_url": f"{BASE_URL}/users/4/"}],
        "sections": ["Scope", "Claim"],
        "approved": False,
        "blank_link": "",
    }
    assert email_context(context) == context  # building twice changes nothing


def test_email_context_refuses_what_cannot_travel_or_is_not_a_portal_path():
    with pytest.raises(TypeError, match="not plain JSON"):
        email_context(when=object())
    with pytest.raises(ValueError, match="portal path"):
        email_context(path="deployments/12/")


@pytest.mark.django_db
def test_email_queue_refuses_a_context_not_built_by_email_context():
    with pytest.raises(ValueError, match="email_context"):
        email_queue(to=["a@example.org"], template="deployment_paused", context={"path": "/d/1/"})
    with pytest.raises(ValueError, match="email_context"):
        email_queue(to=["a@example.org"], template="test_message", context={"due_on": DUE_ON})


# --- through the services ----------------------------------------------------------


def _rename_school(school) -> None:
    school.name = SCHOOL
    school.save(update_fields=["name"])


def _assert_plain_with_absolute_links(message) -> None:
    text = f"{message.subject}\n{message.body}"
    assert SCHOOL in text
    assert not ENTITY.findall(text)
    links = URL.findall(message.body)
    assert links and all(link.startswith("http://tsi-portal.test/") for link in links)
    assert not RELATIVE_LINK.findall(message.body)


@pytest.mark.django_db
def test_a_paused_deployments_email_names_the_school_as_typed_with_an_absolute_link(
    django_capture_on_commit_callbacks,
):
    from deployments.delivery.services import deployment_pause
    from tests.deployments.delivery_fixtures import make_cast

    cast = make_cast()
    _rename_school(cast.deployment.school)
    with django_capture_on_commit_callbacks(execute=True):
        deployment_pause(cast.deployment, user=cast.rdp, reason=FREE_TEXT)
    message = next(m for m in mail.outbox if cast.leader.email in m.to)
    assert message.subject.startswith(f"Deployment paused: {SCHOOL}")
    assert FREE_TEXT in message.body
    assert f"http://tsi-portal.test/deployments/{cast.deployment.pk}/" in message.body
    _assert_plain_with_absolute_links(message)


@pytest.mark.django_db
def test_a_rejected_claims_email_names_the_school_as_typed_with_an_absolute_link(
    django_capture_on_commit_callbacks,
):
    from deployments.claims.services import claim_create_for_deployment, claim_reject
    from tests.deployments.claim_fixtures import accepted_deployment, finance

    cast = accepted_deployment()
    _rename_school(cast.deployment.school)
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        claim_reject(claim, user=finance(), reason=FREE_TEXT)
    message = next(m for m in mail.outbox if cast.leader.email in m.to)
    assert f"http://tsi-portal.test/claims/{claim.pk}/" in message.body
    _assert_plain_with_absolute_links(message)


def test_claim_emails_write_money_as_the_pages_do():
    for template in ("claim_queried", "claim_rejected", "claim_resubmitted"):
        subject, body = email_render(template=template, context={**SAMPLE, "amount": "6000.00"})
        assert "£6,000.00" in body and "£6000.00" not in body, template
