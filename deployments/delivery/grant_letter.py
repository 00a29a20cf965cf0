"""The grant offer letter of a funded trust partnership, as a PDF (reportlab):
the partner trust as payee, the school, the total, each instalment with its
condition, and the terms and conditions (guidance section 5). Every figure is
the grant's, which the offer's row set at approval."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from deployments.delivery.models import PartnershipGrant
from portal.emails import govuk_date
from portal.text import money


def grant_terms(grant: PartnershipGrant) -> list[str]:
    """The terms and conditions, in plain sentences (the letter and its page)."""
    trust = grant.partner_trust.name
    school = grant.deployment.target.name
    months = grant.months
    return [
        f"The grant is paid to {trust} (the partner trust) and to no one else: not to the "
        "system leader, nor to the supported school or trust.",
        f"The grant may be used only towards the costs of the trust partnership between "
        f"{trust} and {school}, as set out in the service level agreement (SLA) between them: "
        "the partner trust's staff time, travel and the activities the SLA describes.",
        f"The partnership lasts {months} months, from {govuk_date(grant.starts_on)} to "
        f"{govuk_date(grant.ends_on)}. It follows the DfE's non-statutory guidance on trust "
        "partnerships and its model service level agreement.",
        "The first instalment is paid once DfE receives this offer signed by the partner "
        "trust, confirming that a signed SLA is in place between the school and the trust.",
        "The last instalment is paid at the end of the partnership, once DfE receives the "
        "partner trust's report of the activities undertaken and the school's confirmation "
        "that they went ahead as described. Evidence dated before the end of the "
        "partnership is not accepted for it.",
        "The partner trust gives DfE the bank account the grant is paid into through the "
        "TSI portal, and tells DfE at once of any change.",
        "The partner trust keeps records of how the grant was spent for 6 years and shows "
        "them to DfE on request.",
        "If the partnership ends early, does not go ahead as agreed, or the grant is not "
        "used as set out in these terms, DfE may stop further payments and ask for the "
        "grant, or the part not used as agreed, to be repaid.",
        "The grant is not to be used for any activity already funded by DfE or another "
        "public body, nor for any purpose that is not charitable or educational.",
    ]


def _paragraph(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def grant_offer_letter_pdf(grant: PartnershipGrant) -> bytes:
    """The letter as PDF bytes."""
    styles = getSampleStyleSheet()
    body, heading, small = styles["BodyText"], styles["Heading2"], styles["Heading3"]
    deployment = grant.deployment
    target = deployment.target
    trust = grant.partner_trust
    offer = deployment.offer
    target_ref = f"URN {target.urn}" if hasattr(target, "urn") else f"group UID {target.uid}"
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Grant offer letter: {trust.name}",
        author="Department for Education, Regions Group",
    )
    story = [
        _paragraph("Department for Education, Regions Group", small),
        _paragraph("Grant offer letter: funded trust partnership", styles["Title"]),
        _paragraph(f"Grant reference: TSI-GRANT-{grant.pk:06d}", body),
        _paragraph(f"Date: {govuk_date(grant.created_at)}", body),
        Spacer(1, 4 * mm),
        _paragraph(f"Payee (the partner trust): {trust.name}, group UID {trust.uid}", body),
        _paragraph(f"Supported school or trust: {target.name} ({target_ref})", body),
        _paragraph(f"Total grant: {money(grant.total)}", body),
        _paragraph(
            f"Partnership: {grant.months} months, {govuk_date(grant.starts_on)} to "
            f"{govuk_date(grant.ends_on)}",
            body,
        ),
        Spacer(1, 4 * mm),
        _paragraph(
            f"Dear {trust.name}, under the Trust and School Improvement offer "
            f"{offer.academic_year}, the Department for Education offers {trust.name} a grant "
            f"of {money(grant.total)} towards the costs of a trust partnership with "
            f"{target.name}, on the terms and conditions below.",
            body,
        ),
        _paragraph("Instalments", heading),
    ]
    rows = [["Instalment", "Amount", "Paid when"]]
    for instalment in grant.instalments.order_by("number"):
        rows.append(
            [
                str(instalment.number),
                money(instalment.amount),
                _paragraph(instalment.condition, body),
            ]
        )
    table = Table(rows, colWidths=[25 * mm, 30 * mm, 115 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        _paragraph("Terms and conditions", heading),
        ListFlowable(
            [ListItem(_paragraph(term, body)) for term in grant_terms(grant)],
            bulletType="1",
        ),
        _paragraph("Acceptance", heading),
        _paragraph(
            f"On behalf of {trust.name}, I accept this grant on the terms and conditions "
            "above and confirm that a signed service level agreement is in place between "
            f"the trust and {target.name}.",
            body,
        ),
        Spacer(1, 8 * mm),
        _paragraph("Signed: ______________________    Name: ______________________", body),
        _paragraph("Role: ______________________    Date: ______________________", body),
    ]
    doc.build(story)
    return out.getvalue()
