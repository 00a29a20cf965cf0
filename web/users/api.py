"""Users over REST (contract "Users", Admin only): invite with POST, read,
change or deactivate with PATCH (`"is_active": false`)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from portal import services
from portal.api.permissions import HasRulesPermission
from portal.models import Role, User
from schools.models import Region, School, Trust
from web.users.filters import UserFilterSet


class UserSerializer(serializers.ModelSerializer):
    regions = serializers.SerializerMethodField()
    school_urn = serializers.CharField(source="school.urn", default=None, read_only=True)
    trust_uid = serializers.CharField(source="trust.uid", default=None, read_only=True)
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "regions",
            "school_urn",
            "trust_uid",
            "is_active",
            "invitation_pending",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields

    def get_regions(self, obj) -> list[str]:
        return [region.name for region in obj.regions.all()]

    def get_invitation_pending(self, obj) -> bool:
        """True until the person has set a password."""
        return not obj.has_usable_password()


class UserInputSerializer(serializers.Serializer):
    """POST: `email`, `full_name`, `role` required; `regions` (names),
    `school_urn`, `trust_uid` as the role needs. PATCH: any of them but `email`,
    and `is_active`."""

    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=255)
    role = serializers.ChoiceField(Role.choices)
    regions = serializers.ListField(child=serializers.CharField(), required=False)
    school_urn = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    trust_uid = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate_email(self, value):
        if self.partial:
            raise serializers.ValidationError(services.EMAIL_CANNOT_CHANGE)
        return value.strip().lower()

    def validate_is_active(self, value):
        if not self.partial:
            raise serializers.ValidationError("A new account is active; deactivate it later.")
        return value

    def validate_regions(self, value):
        names = list(dict.fromkeys(v.strip() for v in value))
        found = {r.name: r for r in Region.objects.filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise serializers.ValidationError(f"No region named {', '.join(missing)}.")
        return [found[n] for n in names]

    def validate_school_urn(self, value):
        if not value:
            return None
        school = School.objects.filter(urn=value.strip()).first()
        if school is None:
            raise serializers.ValidationError(f"No school has the URN {value}.")
        return school

    def validate_trust_uid(self, value):
        if not value:
            return None
        trust = Trust.objects.filter(uid=value.strip()).first()
        if trust is None:
            raise serializers.ValidationError(f"No trust has the group UID {value}.")
        return trust

    def service_kwargs(self) -> dict:
        renames = {"school_urn": "school", "trust_uid": "trust"}
        return {renames.get(k, k): v for k, v in self.validated_data.items()}


def user_queryset():
    return User.objects.select_related("school", "trust").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name"))
    )


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Accounts. Filters: `q` (name or e-mail), `role`, `is_active` (true/false),
    and the page's `status` (active or inactive).
    POST creates the account and e-mails a set-password invitation (valid 7
    days, single use). The role rules apply to POST and PATCH: Regions Group
    staff and RDPs need one or more regions, a Regional Director exactly one; a
    school or trust contact needs a school or a trust; other roles neither."""

    serializer_class = UserSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "portal.manage_users"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = UserFilterSet  # the same filters as the Manage users page

    def get_queryset(self):
        return user_queryset().order_by("email")

    @extend_schema(request=UserInputSerializer, responses={201: UserSerializer})
    def create(self, request):
        given = UserInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = services.user_invite(invited_by=request.user, **given.service_kwargs())
        return Response(
            self.get_serializer(user_queryset().get(pk=user.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=UserInputSerializer, responses={200: UserSerializer})
    def partial_update(self, request, pk=None):
        user = self.get_object()
        given = UserInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        services.user_update(user, by=request.user, **given.service_kwargs())
        return Response(self.get_serializer(user_queryset().get(pk=user.pk)).data)
