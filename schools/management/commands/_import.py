"""Shared body of the import_* commands: call the service, print the outcome."""

from django.core.management.base import BaseCommand, CommandError

from schools.importers.result import ImportRejected
from schools.services import import_file


class ImportCommand(BaseCommand):
    kind = ""
    file_help = "the file as published"

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--errors", metavar="CSV", help="also write the per-row error report to this file"
        )

    def handle(self, *args, file, errors=None, **options):
        try:
            result = import_file(kind=self.kind, path_or_file=file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ImportRejected as exc:
            raise CommandError(f"{file} was not imported: {exc.message}") from None
        self.stdout.write(f"Recognised as: {result.generation_label} ({result.encoding})")
        self.stdout.write(
            f"rows read {result.rows_read}, created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, rejected {result.rows_rejected}, "
            f"skipped {result.rows_skipped} ({result.record_label})"
        )
        for note in result.notes:
            self.stdout.write(f"  {note}")
        for problem in result.problems[:20]:
            self.stdout.write(
                f"  row {problem.row}: {problem.column or 'row'}: {problem.problem} "
                f"({problem.outcome})"
            )
        if len(result.problems) > 20:
            self.stdout.write(f"  ... and {len(result.problems) - 20} more problems")
        if errors and result.problems:
            with open(errors, "wb") as handle:
                handle.write(result.error_report_csv())
            self.stdout.write(f"Error report written to {errors}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
