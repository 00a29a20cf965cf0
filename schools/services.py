"""Writes for the schools register: importing the published GIAS and Ofsted files.

`import_file` parses and checks every row first (reporting progress), then writes
everything in one transaction; a fatal problem with the file raises
`ImportRejected` before anything is written."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from portal.models import BackgroundJob
from portal.services import job_create
from schools.importers import formats
from schools.importers.base import new_result
from schools.importers.reader import open_table, read_bytes
from schools.importers.result import ImportRejected, ImportResult
from schools.jobs import IMPORT_JOB_KIND

UNKNOWN_KIND = "Choose what kind of file this is."


def _importer_class(kind: str):
    from schools.importers.establishments import EstablishmentsImporter
    from schools.importers.group_links import GroupLinksImporter
    from schools.importers.groups import GroupsImporter
    from schools.importers.links import LinksImporter
    from schools.importers.ofsted import OfstedImporter

    return {
        formats.ESTABLISHMENTS: EstablishmentsImporter,
        formats.GROUPS: GroupsImporter,
        formats.GROUP_LINKS: GroupLinksImporter,
        formats.LINKS: LinksImporter,
        formats.OFSTED: OfstedImporter,
    }[kind]


def import_file(*, kind: str, path_or_file, user=None, progress=None) -> ImportResult:
    """Import one published file of the given kind into the register.

    Raises ImportRejected (nothing written) when the file as a whole cannot be used:
    empty, binary, not CSV, undecodable, the wrong kind or missing required columns."""
    if kind not in formats.KIND_LABELS:
        raise ImportRejected(UNKNOWN_KIND)
    data, _name = read_bytes(path_or_file)
    table = open_table(data)
    generation = formats.detect_generation(kind, table.header)
    if generation is None:
        raise ImportRejected(_wrong_kind_message(kind, table.header, []))
    missing = generation.columns.missing(generation.columns.resolve(table.header))
    if missing:
        raise ImportRejected(_wrong_kind_message(kind, table.header, missing))
    result = new_result(kind)
    result.generation = generation.code
    result.generation_label = generation.label
    result.encoding = table.encoding
    importer = _importer_class(kind)(
        table=table, generation=generation, result=result, progress=progress
    )
    importer.run()
    return result


def pending_indexes_build() -> int:
    """Build the register indexes a bulk load left to build after its commit. The
    import builds them itself at once; this catches what a crash left (beat task)."""
    from schools.importers.db import build_pending_indexes

    return build_pending_indexes()


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
    """Queue an import of an uploaded file as a background job (runs after commit)."""
    if kind not in formats.KIND_LABELS:
        raise ValidationError(UNKNOWN_KIND)
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
    message (nothing has been written)."""
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
