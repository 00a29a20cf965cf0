"""Hand-off e-mails: one plain-text template per message, sent after commit.

`email_queue(to=..., template=..., context=...)` is what services call: the
message goes to Celery only once the surrounding transaction commits, so a
rolled-back step sends nothing. The context comes from
`portal.emails.email_context` (absolute links, GOV.UK dates, plain JSON);
`email_queue` refuses any other. Templates live in `templates/emails/<name>.txt`
and render on the "emails" engine, without HTML escaping (plain text, subject
line included); their first line is `Subject: ...`. With NOTIFY_API_KEY set, messages go
through GOV.UK Notify (one generic template, NOTIFY_TEMPLATE_ID, with `subject`
and `body` personalisation); otherwise through Django's e-mail backend."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from portal.emails import email_context

EMAIL_ENGINE = "emails"


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a template rendered with `context`."""
    text = render_to_string(f"emails/{template}.txt", context, using=EMAIL_ENGINE).lstrip()
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"emails/{template}.txt must start with 'Subject: '")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def email_send(*, to: list[str], template: str, context: dict) -> int:
    """Render and send now (the Celery task calls this). Returns messages sent."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    subject, body = email_render(template=template, context=context)
    api_key = getattr(settings, "NOTIFY_API_KEY", "")
    if api_key:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(api_key)
        for address in recipients:
            client.send_email_notification(
                email_address=address,
                template_id=settings.NOTIFY_TEMPLATE_ID,
                personalisation={"subject": subject, "body": body},
            )
        return len(recipients)
    for address in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(recipients)


def email_queue(*, to, template: str, context: dict) -> None:
    """Send after the current transaction commits. `context` must be plain
    JSON (strings, numbers, lists, dicts): it travels through the broker.
    It must be built by `email_context` (links absolute, dates formatted): a
    hand-built context that differs is refused here, in the step that sent it,
    not later in the worker."""
    from portal.tasks import email_send_task

    if email_context(context) != context:
        raise ValueError(
            f"e-mail {template!r}: build its context with portal.emails.email_context "
            "(absolute links, GOV.UK dates, plain JSON)"
        )
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: email_send_task.delay(to=recipients, template=template, context=context)
    )
