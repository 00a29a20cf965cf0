"""Hand-off e-mails are sent only after the transaction commits."""

import pytest
from django.core import mail
from django.db import transaction

from portal.notify import email_queue, email_render


def test_a_template_renders_its_subject_line_and_body():
    subject, body = email_render(
        template="test_message", context={"school_name": "Ashby Primary", "name": "Sam"}
    )
    assert subject == "A test message about Ashby Primary"
    assert body.startswith("Hello Sam,")


@pytest.mark.django_db(transaction=True)
def test_a_queued_email_goes_out_after_commit_to_each_recipient():
    with transaction.atomic():
        email_queue(
            to=["a@example.org", "b@example.org", ""],
            template="test_message",
            context={"school_name": "Ashby Primary", "name": "Sam"},
        )
        assert mail.outbox == []
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert mail.outbox[0].subject == "A test message about Ashby Primary"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_step_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue(to=["a@example.org"], template="test_message", context={})
        raise RuntimeError("the step failed")
    assert mail.outbox == []
