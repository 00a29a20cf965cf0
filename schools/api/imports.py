"""POST /api/imports/ (multipart: file + kind) queues an import and returns its job;
GET /api/imports/{id}/ reports its status and counts. Admin and Regions Group staff
only ("schools.import_data", the same permission as the upload page)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.api.permissions import HasRulesPermission
from schools import services
from schools.importers.formats import KIND_CHOICES
from schools.importers.selectors import import_job_list

COUNTS = ("rows_read", "created", "updated", "unchanged", "rejected", "rows_skipped")


class ImportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    file = serializers.FileField()


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.SerializerMethodField()
    filename = serializers.SerializerMethodField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    message = serializers.CharField()
    generation = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()

    def get_kind(self, job) -> str:
        return job.params.get("kind", "")

    def get_filename(self, job) -> str:
        return job.params.get("filename", "")

    def get_generation(self, job) -> str:
        return job.result.get("generation_label", "")

    def get_counts(self, job) -> dict[str, int]:
        return {name: job.result[name] for name in COUNTS if name in job.result}

    def get_notes(self, job) -> list[str]:
        return job.result.get("notes", [])

    def get_error_report_url(self, job) -> str:
        if not job.report_file:
            return ""
        url = reverse("schools:import-errors", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of the published GIAS and Ofsted files, and their results."""

    serializer_class = ImportJobSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "schools.import_data"
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return import_job_list()

    @extend_schema(
        request=ImportInputSerializer,
        responses={
            202: ImportJobSerializer,
            400: OpenApiResponse(description="The file or kind is refused; the message says why."),
            413: OpenApiResponse(description="The file is larger than an import accepts."),
        },
    )
    def create(self, request):
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = services.import_job_create(
                kind=data.validated_data["kind"],
                uploaded_file=data.validated_data["file"],
                user=request.user,
            )
        except services.UploadTooLarge as exc:
            return Response(
                {"detail": exc.messages[0]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            )
        except ValidationError as exc:
            return Response({"file": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        job.refresh_from_db()
        body = ImportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


def register_import_routes(router) -> None:
    """POST /api/imports/ and GET /api/imports/{id}/."""
    router.register("imports", ImportViewSet, basename="import")
