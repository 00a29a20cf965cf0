"""docs/permissions.md: built from the registered `rules` permissions by
`manage.py permissions_doc`, and current."""

import pytest
from django.core.management import CommandError, call_command
from rules.permissions import permissions

from deployments.management.commands import permissions_doc


def test_the_committed_page_is_the_commands_output():
    """Fails when a rule changed and the page was not regenerated: run
    `python manage.py permissions_doc` and commit docs/permissions.md."""
    assert permissions_doc.DOC_PATH.read_text(encoding="utf-8") == permissions_doc.render()
    call_command("permissions_doc", "--check")


def test_every_registered_permission_is_on_the_page_with_words_for_every_condition():
    text = permissions_doc.render()
    for name in permissions:
        assert f"### `{name}`" in text
    assert "_" not in "".join(
        line.split(":", 1)[1] for line in text.splitlines() if line.startswith("- ")
    ), "a condition is shown by its predicate name"


def test_a_trusts_contact_may_sign_off_a_deployment_and_the_page_says_so():
    rows = permissions_doc.alternatives(permissions["deployments.sign_off_deployment"].name)
    assert rows == [(["has_role_school_contact"], [[("acts_for_the_school_or_trust", True)]])]
    text = permissions_doc.render()
    assert "- School and trust contacts: about their school or trust\n" in text
    assert "a trust's contacts act for every school in the trust" in text


def test_a_rule_is_read_as_alternatives_of_one_role_and_its_conditions():
    rows = permissions_doc.alternatives(
        "((is_authenticated & is_active) & (((has_role_finance & ~has_role_admin) | "
        "has_role_admin) | ((has_role_regions_staff | has_role_rdp) & in_the_users_regions)))"
    )
    assert rows == [
        (["has_role_admin", "has_role_finance"], [[]]),
        (["has_role_regions_staff", "has_role_rdp"], [[("in_the_users_regions", True)]]),
    ]


def test_a_predicate_without_words_stops_the_command():
    with pytest.raises(CommandError, match="no words"):
        permissions_doc._condition_words("some_new_predicate", True)
