"""The deployment form as an XLSX workbook, one sheet per section, like the
Excel form it replaces. Bank details appear masked only.

Every cell goes through `portal.spreadsheets.safe_cell` (formula injection)."""

from io import BytesIO

from openpyxl import Workbook

from deployments.delivery.api.serializers import section_payload
from deployments.delivery.models import Deployment
from deployments.delivery.sections import FORM_ORDER, SECTIONS
from deployments.delivery.summary import choice_label
from portal.spreadsheets import safe_cell


def _flat(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(
            f"{v['key']} ({v['priority']})" if isinstance(v, dict) else str(v) for v in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    return value


def deployment_workbook(deployment: Deployment) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for key in FORM_ORDER:
        section = SECTIONS[key]
        sheet = book.create_sheet(f"{section.number} {section.title}"[:31])
        payload = section_payload(deployment, key)
        sheet.append(["Field", "Value"])
        for name, value in payload.items():
            if name in ("editable", "number", "key"):
                continue
            value = choice_label(key, name, value)  # a choice's label, as on the page
            sheet.append([safe_cell(name), safe_cell(_flat(value))])
    log = book.create_sheet("Activity log")
    log.append(["Date", "Days", "Activity", "Delivered by", "Mode"])
    for activity in deployment.activities.all():
        log.append(
            [
                activity.date,
                float(activity.days),
                safe_cell(activity.description),
                safe_cell(activity.delivered_by),
                activity.get_mode_display(),
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
