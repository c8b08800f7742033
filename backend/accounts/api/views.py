"""Authentication (knox tokens), self-registration and enterprise review endpoints."""

from __future__ import annotations

import django_filters
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import services
from backend.accounts.api.serializers import (
    EnterpriseRegisterSerializer,
    EnterpriseSerializer,
    LoginSerializer,
    MeSerializer,
    ReviewSerializer,
)
from backend.accounts.models import Enterprise, Membership
from backend.accounts.names import login_username
from backend.accounts.throttles import LOGIN_THROTTLES, RegisterThrottle
from backend.core.api import ID_REGEX, ReadOnlyTenantViewSet, StrictFilterSet, membership_of
from backend.core.errors import DomainError


class LoginView(APIView):
    """POST username/password → a hashed, expiring knox token (``Authorization: Token <token>``).

    Throttled (429) per username — counted as login matches it: surrounding spaces removed, NFKC
    (full-width letters), case-folded — after ``LOGIN_RATE`` attempts (default 10/minute), and per
    client address after ``LOGIN_IP_RATE`` (default 30/minute), the same limits as the admin login."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = list(LOGIN_THROTTLES)

    @extend_schema(request=LoginSerializer, responses={200: dict})
    def post(self, request):
        s = LoginSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = authenticate(request, username=login_username(s.validated_data["username"]),
                            password=s.validated_data["password"])
        if user is None:
            raise DomainError("用户名或密码错误。", code="invalid_credentials")
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry, "user": MeSerializer(user).data})


@extend_schema(request=None, responses={204: None})
class LogoutView(KnoxLogoutView):
    """POST: revoke the token used for this request."""


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class EnterpriseRegisterView(APIView):
    """Public self-registration: creates a *pending* enterprise and its first admin user."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    @extend_schema(request=EnterpriseRegisterSerializer, responses={201: EnterpriseSerializer})
    def post(self, request):
        s = EnterpriseRegisterSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ent = services.enterprise_register(**s.validated_data)
        return Response(EnterpriseSerializer(ent).data, status=status.HTTP_201_CREATED)


class EnterpriseFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="名称/代码搜索", max_length=100)
    division_code = django_filters.CharFilter(field_name="division_code", lookup_expr="startswith", max_length=12)

    class Meta:
        model = Enterprise
        fields = ("status", "industry", "division_code")

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(uscc__icontains=value))


class EnterpriseViewSet(ReadOnlyTenantViewSet):
    """Enterprises the caller may see: its own, or those of its regulator's jurisdiction."""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    enterprise_path = None
    filterset_class = EnterpriseFilter
    ordering_fields = ("id", "name", "division_code", "created_at")

    @extend_schema(request=ReviewSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def approve(self, request, pk=None):
        return self._review(request, approve=True)

    @extend_schema(request=ReviewSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reject(self, request, pk=None):
        return self._review(request, approve=False)

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
                   responses={200: dict})
    @action(detail=False, methods=["post"], url_path="import", permission_classes=[permissions.IsAuthenticated])
    def import_csv(self, request):
        """Regulator admins import an enterprise list (CSV) of their jurisdiction; answers the per-row report."""
        from backend.accounts.importers import enterprises_import
        from backend.core.api import membership_of
        from backend.core.errors import FieldError, Forbidden

        m = membership_of(request.user)
        if m is None or m.regulator_id is None or m.role != "admin":
            raise Forbidden("只有监管部门管理员可以导入企业名单。", code="not_regulator_admin")
        upload = request.FILES.get("file")
        if upload is None:
            raise FieldError("请上传文件。", code="required", field="file")
        if upload.size > 5 * 1024 * 1024:
            from backend.core.errors import PayloadTooLarge

            raise PayloadTooLarge("文件超过 5 MB。", field="file")
        report = enterprises_import(source=upload, actor=request.user, regulator=m.regulator)
        return Response(report.as_dict())

    def _review(self, request, *, approve: bool):
        ent = self.get_object()  # 404 outside the caller's scope
        s = ReviewSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ent = services.enterprise_review(actor=request.user, enterprise_id=ent.pk, approve=approve,
                                         reason=s.validated_data.get("reason", ""))
        return Response(EnterpriseSerializer(ent).data)


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "full_name", "role", "role_display", "department")
        read_only_fields = fields


class MemberFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="姓名/用户名搜索", max_length=50)

    class Meta:
        model = Membership
        fields = ("role", "department")

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(user__full_name__icontains=value) | Q(user__username__icontains=value))


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$", max_length=150)
    password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    full_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices)
    department = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Members of the caller's own organization (enterprise or regulator). ``id`` is the user id to use
    where the API asks for a person (``responsible_person``, ``inspectors``, …). The organization's
    admin adds members with ``POST``."""

    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    lookup_field = "user_id"
    lookup_value_regex = ID_REGEX
    ordering_fields = ("user_id", "role", "department")
    ordering = ("user_id",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        m = membership_of(self.request.user)
        if m is None:
            return Membership.objects.none()
        org = {"enterprise_id": m.enterprise_id} if m.enterprise_id else {"regulator_id": m.regulator_id}
        return Membership.objects.filter(**org).select_related("user")

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer}, summary="添加本组织成员（管理员）")
    def create(self, request):
        from backend.core.errors import Forbidden

        m = membership_of(request.user)
        if m is None or m.role != "admin":
            raise Forbidden("只有本组织管理员可以添加成员。", code="role_not_allowed")
        s = MemberCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = services.member_create(organization=m.enterprise or m.regulator, actor=request.user, **s.validated_data)
        return Response(MemberSerializer(user.membership).data, status=status.HTTP_201_CREATED)
