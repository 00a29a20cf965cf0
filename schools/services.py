"""Writes for the schools register: importing the published GIAS and Ofsted files.

`import_file` parses and checks every row first (reporting progress), then writes
everything in one transaction; a fatal problem with the file raises
`ImportRejected` before anything is written."""

import csv
import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from portal.models import BackgroundJob
from portal.services import job_create
from schools.importers import formats
from schools.importers.base import new_result
from schools.importers.establishments import EstablishmentsImporter
from schools.importers.formats import IMPORT_JOB_KIND
from schools.importers.group_links import GroupLinksImporter
from schools.importers.groups import GroupsImporter
from schools.importers.links import LinksImporter
from schools.importers.ofsted import OfstedImporter
from schools.importers.reader import NO_ROWS, Table, open_table, read_bytes
from schools.importers.result import ImportRejected, ImportResult

UNKNOWN_KIND = "Choose what kind of file this is."
FILE_TOO_LARGE = (
    "The file is {size}; the largest file an import accepts is {limit}. "
    "Upload the file as published, not a combined or padded copy."
)

logger = logging.getLogger(__name__)


class UploadTooLarge(ValidationError):
    """An upload over settings.IMPORT_UPLOAD_MAX_BYTES (the API answers 413)."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


IMPORTERS = {
    formats.ESTABLISHMENTS: EstablishmentsImporter,
    formats.GROUPS: GroupsImporter,
    formats.GROUP_LINKS: GroupLinksImporter,
    formats.LINKS: LinksImporter,
    formats.OFSTED: OfstedImporter,
}


def import_file(*, kind: str, path_or_file, user=None, progress=None) -> ImportResult:
    """Import one published file of the given kind into the register.

    Raises ImportRejected (nothing written) when the file as a whole cannot be used:
    empty, binary, not CSV, undecodable, the wrong kind or missing required columns."""
    data, _name = read_bytes(path_or_file)
    table, generation = _open_import(kind, data)
    result = new_result(kind)
    result.generation = generation.code
    result.generation_label = generation.label
    result.encoding = table.encoding
    importer = IMPORTERS[kind](table=table, generation=generation, result=result, progress=progress)
    importer.run()
    return result


def _open_import(kind: str, data: bytes) -> tuple[Table, formats.Generation]:
    """The file's table and header generation; ImportRejected when the file as a
    whole cannot be imported as `kind`."""
    if kind not in formats.KIND_LABELS:
        raise ImportRejected(UNKNOWN_KIND)
    table = open_table(data)
    generation = formats.detect_generation(kind, table.header)
    if generation is None:
        raise ImportRejected(_wrong_kind_message(kind, table.header, []))
    missing = generation.columns.missing(generation.columns.resolve(table.header))
    if missing:
        raise ImportRejected(_wrong_kind_message(kind, table.header, missing))
    return table, generation


def import_upload_check(*, kind: str, uploaded_file) -> None:
    """Refuse, before anything is queued or kept, an upload that is too large or
    that the import would refuse as a whole (empty, binary, not CSV, undecodable,
    the wrong kind, missing columns, no data rows). Raises UploadTooLarge or
    ValidationError with the message for the user."""
    limit = settings.IMPORT_UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise UploadTooLarge(
            FILE_TOO_LARGE.format(size=_megabytes(uploaded_file.size), limit=_megabytes(limit)),
            code="too_large",
        )
    data, _name = read_bytes(uploaded_file)
    try:
        table, _generation = _open_import(kind, data)
        if not any(any(v.strip() for v in values) for values in table.records):
            raise ImportRejected(NO_ROWS)
    except ImportRejected as exc:
        raise ValidationError(exc.message, code="refused") from None
    except csv.Error as exc:
        raise ValidationError(f"The file is not valid CSV: {exc}.", code="refused") from None


def _wrong_kind_message(kind: str, header: list[str], missing: list[str]) -> str:
    label = formats.KIND_LABELS[kind]
    guessed = formats.guess_kind(header)
    if kind == formats.OFSTED and not missing:
        message = (
            f"This is not a recognised {label} file: it has none of the columns that mark "
            "the three header generations (" + "; ".join(formats.OFSTED_MARKERS) + ")."
        )
    elif not formats.detect_generation(kind, header).columns.resolve(header):
        message = (
            f"This is not a {label} file: its first line has none of the expected column "
            "names (" + ", ".join(f'"{name}"' for name in missing) + ")."
        )
    else:
        message = f"This is not a usable {label} file: it is missing required columns: " + (
            ", ".join(f'"{name}"' for name in missing) + "."
        )
    if guessed and guessed != kind:
        other = formats.KIND_LABELS[guessed]
        article = "an" if other[0] in "AEIOU" else "a"
        message += f" It looks like {article} {other} file."
    return message


def import_job_create(*, kind: str, uploaded_file, user) -> BackgroundJob:
    """Queue an import of an uploaded file as a background job (runs after commit).
    A file the import would refuse is refused here (see import_upload_check) and
    never stored."""
    import_upload_check(kind=kind, uploaded_file=uploaded_file)
    filename = uploaded_file.name.rsplit("/", 1)[-1]
    return job_create(
        kind=IMPORT_JOB_KIND,
        label=f"Import {formats.KIND_LABELS[kind]}: {filename}"[:255],
        user=user,
        params={"kind": kind, "filename": filename},
        input_file=uploaded_file,
    )


def import_job_run(*, job: BackgroundJob, progress) -> dict:
    """The runner for import jobs: import the job's file, keep the error report.

    A fatal file problem becomes a ValidationError, which fails the job with that
    message (nothing has been written); the refused file is deleted."""
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        result = import_file(
            kind=job.params.get("kind", ""),
            path_or_file=data,
            user=job.created_by,
            progress=progress,
        )
    except ImportRejected as exc:
        _input_file_delete(job)
        raise ValidationError(exc.message) from None
    if result.problems:
        job.report_file.save(
            f"import-{job.pk}-problems.csv", ContentFile(result.error_report_csv()), save=False
        )
        BackgroundJob.objects.filter(pk=job.pk).update(report_file=job.report_file.name)
    progress.advance(job.total, result.summary(), force=True)
    return result.as_dict() | {
        "summary": result.summary(),
        "result_url": reverse("schools:import-detail", args=[job.pk]),
    }


def _input_file_delete(job: BackgroundJob) -> None:
    job.input_file.delete(save=False)
    BackgroundJob.objects.filter(pk=job.pk).update(input_file="")


def import_inputs_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of imports that finished more than
    settings.IMPORT_INPUT_RETENTION_DAYS ago (the result and error report stay);
    returns how many were deleted. Run daily by beat."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_INPUT_RETENTION_DAYS)
    jobs = BackgroundJob.objects.filter(kind=IMPORT_JOB_KIND, finished_at__lt=cutoff).exclude(
        input_file=""
    )
    deleted = 0
    for job in jobs.iterator():
        _input_file_delete(job)
        deleted += 1
    if deleted:
        logger.info("Deleted %s imported files older than their retention period", deleted)
    return deleted
