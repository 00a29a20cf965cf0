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


# The largest id a database key holds (64-bit): a bigger number is a 400, not an
# overflow in the database driver.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An input field for a record id, bounded so that no number reaches the database
    unchecked (1.5, true, "abc", [1] and 20-digit numbers are all refused)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class _StringsOnly:
    """Refuses a JSON number, boolean, list or object where the schema says string
    (DRF would turn 12 into "12")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(_StringsOnly, serializers.CharField):
    pass


class PatternField(_StringsOnly, serializers.RegexField):
    pass
