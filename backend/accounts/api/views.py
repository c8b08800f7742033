"""Authentication (knox tokens and the console's session), self-registration and enterprise review endpoints."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import mixins, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import services
from backend.accounts.api.filters import EnterpriseFilter, MemberFilter
from backend.accounts.api.location import EnterpriseLocationActions
from backend.accounts.api.serializers import (
    CsrfSerializer,
    EnterpriseRegisterSerializer,
    EnterpriseSerializer,
    EnterpriseUploadSerializer,
    KindIn,
    LoginSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    MeSerializer,
    ReviewSerializer,
)
from backend.accounts.error_codes import AccountsErrorCode as Code
from backend.accounts.importers import enterprises_import
from backend.accounts.models import Enterprise, Membership, Role
from backend.accounts.names import login_username
from backend.accounts.throttles import LOGIN_THROTTLES, RegisterThrottle
from backend.core.api import ReadOnlyTenantViewSet, TenantScopedViewSet, validated
from backend.core.api.openapi import ImportReportSerializer
from backend.core.errors import DomainError, FieldError, Forbidden, PayloadTooLarge


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
        user = _checked_user(request)
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry, "user": MeSerializer(user).data})


@extend_schema(request=None, responses={204: None})
class LogoutView(KnoxLogoutView):
    """POST: revoke the token used for this request."""


def _checked_user(request):
    """The user of a login body (``username``/``password``), or 400 ``invalid_credentials``."""
    s = LoginSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    user = authenticate(request, username=login_username(s.validated_data["username"]),
                        password=s.validated_data["password"])
    if user is None:
        raise DomainError("用户名或密码错误。", code=Code.INVALID_CREDENTIALS)
    return user


class CsrfView(APIView):
    """GET: sets the ``csrftoken`` cookie the console sends back as ``X-CSRFToken`` on unsafe requests
    (the session login, and every POST/PATCH/DELETE of a session). Answers ``{"csrf_token": "…"}``."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: CsrfSerializer}, summary="获取 CSRF 令牌（设置 csrftoken Cookie）")
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        from django.middleware.csrf import get_token

        return Response({"csrf_token": get_token(request)})


class SessionView(APIView):
    """The console's same-origin session (Django session cookie; no token kept in the browser).

    ``POST {username, password}`` (with the ``X-CSRFToken`` header of ``GET auth/csrf/``, else 403
    ``permission_denied``) logs in: answers the ``me`` body and sets the ``sessionid`` cookie (and a new
    ``csrftoken``); a wrong password is 400 ``invalid_credentials``; throttled (429) like the token login
    (per normalised username, ``LOGIN_RATE``, and per address, ``LOGIN_IP_RATE``). ``DELETE`` ends the
    session (204, also when there was none)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    #: POST and DELETE answer 403 without the CSRF token (documented in the schema: AutoSchema).
    csrf_checked = True

    def get_throttles(self):
        return [cls() for cls in LOGIN_THROTTLES] if self.request.method == "POST" else []

    def initial(self, request, *args, **kwargs):
        # The login itself is CSRF-checked (login CSRF); DRF exempts views without session authentication.
        if request.method not in permissions.SAFE_METHODS:
            SessionAuthentication().enforce_csrf(request)
        super().initial(request, *args, **kwargs)

    @extend_schema(request=LoginSerializer, responses={200: MeSerializer}, summary="会话登录（控制台）")
    def post(self, request):
        user = _checked_user(request)
        login(request._request, user)  # authenticate() named the backend; a new session key and CSRF token
        return Response(MeSerializer(user).data)

    @extend_schema(request=None, responses={204: None}, summary="会话退出（控制台）")
    def delete(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


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


#: Largest enterprise list accepted by ``POST /enterprises/import/``.
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class EnterpriseViewSet(EnterpriseLocationActions, ReadOnlyTenantViewSet):
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

    @extend_schema(request=KindIn, responses=EnterpriseSerializer, summary="确定企业类别（监管部门管理员）")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def kind(self, request, pk=None):
        """The regulator admin sets the enterprise's kind (its rule set), with a reason (audited)."""
        ent = self.get_object()  # 404 outside the caller's scope
        data = validated(KindIn, request.data)
        ent = services.enterprise_set_kind(actor=self.actor, enterprise_id=ent.pk, kind=data["kind"],
                                           reason=data["reason"])
        return Response(EnterpriseSerializer(ent).data)

    @extend_schema(request={"multipart/form-data": EnterpriseUploadSerializer}, responses={200: ImportReportSerializer},
                   summary="导入企业名单（监管部门管理员，multipart：file，≤ 5 MB）")
    @action(detail=False, methods=["post"], url_path="import", permission_classes=[permissions.IsAuthenticated])
    def import_csv(self, request):
        """Regulator admins import an enterprise list (CSV) of their jurisdiction; answers the per-row report."""
        actor = self.actor
        if not actor.is_regulator or actor.role != Role.ADMIN:
            raise Forbidden("只有监管部门管理员可以导入企业名单。", code=Code.NOT_REGULATOR_ADMIN)
        upload = request.FILES.get("file")
        if upload is None:
            raise FieldError("请上传文件。", code=Code.REQUIRED, field="file")
        if upload.size > IMPORT_MAX_BYTES:
            raise PayloadTooLarge("文件超过 5 MB。", field="file")
        report = enterprises_import(source=upload, actor=actor, regulator=actor.regulator)
        return Response(report.as_dict())

    def _review(self, request, *, approve: bool):
        ent = self.get_object()  # 404 outside the caller's scope
        data = validated(ReviewSerializer, request.data)
        ent = services.enterprise_review(actor=self.actor, enterprise_id=ent.pk, approve=approve,
                                         reason=data.get("reason", ""))
        return Response(EnterpriseSerializer(ent).data)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """Members of the caller's own organization (enterprise or regulator). ``id`` is the user id to use
    where the API asks for a person (``responsible_person``, ``inspectors``, …). The organization's
    admin adds members with ``POST``."""

    scope = "organization"
    queryset = Membership.objects.select_related("user")
    permission_classes = [permissions.IsAuthenticated]  # readers: every member; the admin check is in create()
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    lookup_field = "user_id"
    ordering_fields = ("user_id", "role", "department")
    ordering = ("user_id",)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer}, summary="添加本组织成员（管理员）")
    def create(self, request):
        actor = self.actor
        if actor.membership is None or actor.role != Role.ADMIN:
            raise Forbidden("只有本组织管理员可以添加成员。", code="role_not_allowed")
        data = validated(MemberCreateSerializer, request.data)
        user = services.member_create(organization=actor.enterprise or actor.regulator, actor=actor, **data)
        return Response(MemberSerializer(user.membership).data, status=status.HTTP_201_CREATED)
