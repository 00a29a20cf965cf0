"""Search parsing, the shared template tags, and the PostgreSQL search indexes."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory

from portal.templatetags.portal_tags import page_window
from schools.filters import normalise_postcode, school_search_q


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" M1 1aa ", "M1 1AA"),
        ("m11aa", "M1 1AA"),
        ("LS2", "LS2 "),
        ("Oakfield", None),
        ("123456", None),
    ],
)
def test_postcodes_are_normalised_to_the_gias_form(text, expected):
    assert normalise_postcode(text) == expected


def test_a_six_digit_search_also_matches_the_urn_exactly():
    assert "('urn', '100001')" in str(school_search_q("100001"))


def test_a_laestab_with_a_slash_matches_the_seven_digit_laestab():
    assert "('laestab', '2021234')" in str(school_search_q("202/1234"))


def test_a_blank_search_matches_everything():
    assert school_search_q("   ") == school_search_q("")


@pytest.mark.parametrize(
    "number, last, expected",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, None, 10]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
        (10, 10, [1, None, 9, 10]),
    ],
)
def test_the_page_window_shows_first_last_and_neighbours(number, last, expected):
    assert page_window(number, last) == expected


def render(source, request=None, **context):
    return Template("{% load portal_tags %}" + source).render(
        Context({"request": request, **context})
    )


def test_pagination_keeps_the_query_string_and_replaces_the_page():
    request = RequestFactory().get("/schools/", {"q": "oak", "region": "E1", "page": "2"})
    page = Paginator(range(200), 50).page(2)

    html = render("{% pagination page %}", request, page=page)

    assert 'href="?q=oak&amp;region=E1&amp;page=3"' in html
    assert 'href="?q=oak&amp;region=E1&amp;page=1"' in html
    assert 'aria-current="page"' in html
    assert "govuk-pagination__next" in html and "govuk-pagination__prev" in html


def test_pagination_is_absent_for_a_single_page():
    page = Paginator(range(10), 50).page(1)

    assert render("{% pagination page %}", RequestFactory().get("/"), page=page).strip() == ""


def test_a_sortable_header_marks_the_current_order_and_drops_the_page():
    request = RequestFactory().get("/", {"sort": "-name", "page": "3", "q": "x"})

    html = render('{% sortable_header "School" "name" %}', request)

    assert 'aria-sort="descending"' in html
    assert 'href="?sort=name&amp;q=x"' in html


def test_a_sortable_header_uses_the_default_order_when_none_is_asked_for():
    html = render('{% sortable_header "School" "name" default="name" %}', RequestFactory().get("/"))

    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-name"' in html


@pytest.mark.parametrize(
    "grade, text, colour",
    [
        (1, "Outstanding", "govuk-tag--green"),
        (2, "Good", "govuk-tag--turquoise"),
        (3, "Requires improvement", "govuk-tag--yellow"),
        (4, "Inadequate", "govuk-tag--red"),
        (None, "No overall grade", "govuk-tag--grey"),
    ],
)
def test_judgement_tag_renders_each_grade_as_a_govuk_tag(grade, text, colour):
    html = render("{% judgement_tag grade %}", grade=grade)

    assert html == f'<strong class="govuk-tag {colour}">{text}</strong>'


def test_report_card_tag_renders_nothing_for_an_ungraded_area():
    assert render("{% report_card_tag value %}", value="") == ""
    assert "Needs attention" in render("{% report_card_tag value %}", value="needs_attention")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL-only")
def test_the_search_indexes_exist_on_postgresql_without_unused_pattern_copies():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'schools_school'"
        )
        indexes = dict(cursor.fetchall())

    assert {"school_name_upper_trgm", "school_postcode_pattern", "school_urn_unique"} <= set(
        indexes
    )
    # Every index is rebuilt by a register-sized import: none may be unused.
    assert not [name for name in indexes if name.endswith("_like")]
    assert sum("(postcode" in definition for definition in indexes.values()) == 1


def test_an_import_summary_writes_large_counts_with_thousands_separators():
    from schools.importers.result import ImportResult

    result = ImportResult(kind="gias_establishments", kind_label="GIAS")
    result.record_label, result.record_label_one = "schools", "school"
    result.rows_read, result.created, result.rows_rejected = 51_234, 50_000, 1_234

    assert result.summary() == (
        "51,234 rows read: 50,000 schools created, 0 updated, 0 unchanged; "
        "1,234 rows rejected, 0 skipped."
    )


def test_an_import_summary_names_one_record_in_the_singular():
    from schools.importers.result import ImportResult

    result = ImportResult(kind="gias_establishments", kind_label="GIAS")
    result.record_label, result.record_label_one = "schools", "school"
    result.rows_read, result.created, result.rows_rejected = 1, 1, 1

    assert result.summary().startswith("1 row read: 1 school created")
    assert "1 row rejected" in result.summary()


@pytest.mark.parametrize(
    "number, expected",
    [(0, "0 schools"), (1, "1 school"), (2, "2 schools"), (12345, "12,345 schools")],
)
def test_counted_tag_puts_the_noun_in_the_right_number(number, expected):
    rendered = Template('{% load portal_tags %}{% counted n "school" "schools" %}').render(
        Context({"n": number})
    )
    assert rendered == expected


def test_the_note_of_added_local_authorities_names_ten_and_counts_the_rest():
    from schools.importers.establishments import added_note

    one = added_note({"881": ("Eastmoor", "North West")})
    many = added_note({f"{300 + i}": (f"Shire {i}", "London") for i in range(144)})

    assert one == "1 local authority added: 881 Eastmoor"
    assert many.startswith("144 local authorities added: 300 Shire 0, 301 Shire 1,")
    assert "309 Shire 9 and 134 more" in many
    assert "310 Shire 10" not in many
