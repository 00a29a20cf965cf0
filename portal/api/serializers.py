from rest_framework import serializers

from portal.models import BackgroundJob


class BackgroundJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    finished = serializers.BooleanField(source="is_finished", read_only=True)

    class Meta:
        model = BackgroundJob
        fields = [
            "id",
            "kind",
            "label",
            "status",
            "progress",
            "total",
            "percent",
            "finished",
            "message",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
