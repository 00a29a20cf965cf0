"""Workflow records over REST, as the contract's conventions say.

- `WorkflowSerializerMixin` adds `allowed_transitions` and `timeline` to a
  record's output serializer (`state` and `due_on` are its own model fields).
  List querysets should `prefetch_related("timeline_events__by")` through a
  `GenericRelation(TimelineEvent, related_query_name=...)` named
  `timeline_events` to keep query counts flat.
- `transition_action(name, service=..., input_serializer=...)` makes the
  `POST /api/<resource>/{id}/<name-with-hyphens>/` action: 404 (not visible to
  this user: the viewset's queryset), 403, 409 (`portal.workflow.transition_check`),
  400 (the input serializer, then the service's ValidationError), then 200 with
  the updated record (rendered by the viewset's serializer; `output_serializer`
  documents it). The service is called as `service(record, user=user, **data)`.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.workflow import allowed_transitions, labelled_timeline, transition_check


class TimelineEntrySerializer(serializers.Serializer):
    name = serializers.CharField()
    # The history's words for the event (the workflow table's history label).
    label = serializers.CharField()
    by = serializers.CharField(source="by_name")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class WorkflowSerializerMixin(serializers.Serializer):
    allowed_transitions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    # The role whose move it is, from the workflow's table (null: nobody's).
    responsible = serializers.CharField(read_only=True, allow_null=True)

    def get_allowed_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_transitions(obj, request.user) if request else []

    def get_timeline(self, obj) -> list[dict]:
        events = obj.timeline_events.all() if hasattr(obj, "timeline_events") else None
        return TimelineEntrySerializer(labelled_timeline(obj, events), many=True).data


CONFLICT = inline_serializer(
    "WorkflowConflict",
    fields={"detail": serializers.CharField(), "state": serializers.CharField()},
)
ERROR_RESPONSES = {
    400: OpenApiResponse(description="A field is missing or wrong: {field: [messages]}"),
    403: OpenApiResponse(description="This user may never take this step on this record"),
    404: OpenApiResponse(description="This user cannot see the record"),
    409: OpenApiResponse(CONFLICT, description="The record's state does not allow it now"),
}


def transition_action(
    name: str, *, service, output_serializer, input_serializer=None, description: str = ""
):
    """A viewset action for one workflow transition (see the module docstring)."""

    def view(self, request, pk=None):
        record = self.get_object()
        transition_check(record, name, request.user)
        data = {}
        if input_serializer is not None:
            given = input_serializer(data=request.data, context=self.get_serializer_context())
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
        updated = service(record, user=request.user, **data)
        # A step can take the record out of this user's sight (a system leader
        # who declines): answer with the updated record all the same.
        fresh = self.get_queryset().filter(pk=updated.pk).first() or updated
        return Response(self.get_serializer(fresh).data)

    view.__name__ = name
    view.__doc__ = description or f"Take the `{name}` transition."
    # The schema goes on last: DRF's `action` replaces the function's `kwargs`,
    # where drf-spectacular keeps it, so documenting first would be lost.
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(view)
    return extend_schema(
        request=input_serializer,
        responses={200: output_serializer, **ERROR_RESPONSES},
        description=view.__doc__,
    )(routed)
