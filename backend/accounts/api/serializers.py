"""Serializers of accounts: login, the caller, enterprises (registration, review), members."""

from __future__ import annotations

from rest_framework import serializers

from backend.accounts.models import Enterprise, Membership, Regulator, User
from backend.core.api.openapi import BinaryFileField


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(help_text="同 csrftoken Cookie；非安全方法的请求头 X-CSRFToken")


class MembershipSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", default=None, read_only=True)
    regulator_name = serializers.CharField(source="regulator.name", default=None, read_only=True)

    class Meta:
        model = Membership
        fields = ("enterprise", "enterprise_name", "regulator", "regulator_name", "role", "department")


class MeSerializer(serializers.ModelSerializer):
    membership = MembershipSerializer(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "full_name", "membership")


class EnterpriseRegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=40)
    division_code = serializers.CharField(max_length=20, allow_blank=True)
    industry = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-180, max_value=180)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90)
    legal_rep = serializers.CharField(max_length=50, required=False, allow_blank=True)
    principal = serializers.CharField(max_length=50, required=False, allow_blank=True)
    safety_director = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    major_hazard_sources = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    admin_username = serializers.RegexField(r"^[\w.@+-]{3,150}$", max_length=150)
    admin_password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    admin_full_name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class KindIn(serializers.Serializer):
    """``{kind: "hazchem" | "industrial" | "", reason}``: ``""`` returns to the kind the industry gives."""

    kind = serializers.ChoiceField(choices=[("", "按所属行业")] + list(Enterprise.Kind.choices), allow_blank=True)
    reason = serializers.CharField(max_length=200)


class RuleSetOut(serializers.Serializer):
    """The rule set that applies: ``{kind, label, name, permits, confined_space, major_hazards, checklists}``
    (``major_hazards``: the 重大事故隐患判定标准 the checklists come from)."""

    kind = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField()
    permits = serializers.CharField()
    confined_space = serializers.CharField()
    major_hazards = serializers.CharField()
    checklists = serializers.ListField(child=serializers.CharField())


class EnterpriseSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="企业类别：hazchem / industrial / 空（未分类）")
    rule_set = RuleSetOut(read_only=True)

    class Meta:
        model = Enterprise
        fields = (
            "id", "name", "uscc", "division_code", "industry", "address", "lon", "lat", "legal_rep", "principal",
            "safety_director", "phone", "major_hazard_sources", "status", "status_display", "status_reason", "created_at",
            "kind", "kind_override", "kind_reason", "rule_set",
        )
        read_only_fields = fields


class RegulatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulator
        fields = ("id", "name", "jurisdiction", "parent")


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "full_name", "role", "role_display", "department")
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$", max_length=150)
    password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    full_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices)
    department = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class EnterpriseUploadSerializer(serializers.Serializer):
    file = BinaryFileField(max_length=200, allow_empty_file=False)
