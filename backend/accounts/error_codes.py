"""Error codes and audit-action names of organizations, members, login and enterprise lists
(``backend.accounts``).

Values are the strings the API has always answered; raise with the member
(``code=AccountsErrorCode.DUPLICATE``). Documented in the OpenAPI description."""

from __future__ import annotations

from enum import StrEnum

from backend.core.error_codes import ErrorCodeEnum, register_codes


@register_codes
class AccountsErrorCode(ErrorCodeEnum):
    DUPLICATE = "duplicate", "已存在（用户名、统一社会信用代码或导入中重复的行）", 400
    REQUIRED = "required", "必填项缺失", 400
    INVALID_FORMAT = "invalid_format", "格式错误（统一社会信用代码、行政区划代码）", 400
    INVALID_CHECKSUM = "invalid_checksum", "统一社会信用代码校验位错误（GB 32100-2015）", 400
    UNKNOWN_DIVISION = "unknown_division", "未知的行政区划代码", 400
    INVALID_NUMBER = "invalid_number", "数值格式错误（企业名单）", 400
    EXTRA_COLUMNS = "extra_columns", "行的列数多于表头（企业名单）", 400
    INVALID_FILE = "invalid_file", "无法读取上传的文件", 400
    INVALID_CREDENTIALS = "invalid_credentials", "用户名或密码错误", 400
    NOT_REGULATOR_ADMIN = "not_regulator_admin", "仅监管部门管理员可执行（审核、导入企业）", 403
    OUTSIDE_JURISDICTION = "outside_jurisdiction", "企业不在本部门管辖范围内", 403
    BLANK = "blank", "名称不能为空（只有不可见字符）", 400
    INVISIBLE_CHARACTERS = "invisible_characters", "名称含不可见字符或控制字符", 400
    MIXED_SCRIPT = "mixed_script", "名称混用了易混淆的文字", 400
    OUT_OF_RANGE = "out_of_range", "坐标超出范围（WGS-84，中国境内：经度 73.4–135.1，纬度 3.8–53.6）", 400
    NOT_ENTERPRISE_ADMIN = "not_enterprise_admin", "仅本企业管理员或其监管部门可修改企业坐标", 403


class AccountsEvent(StrEnum):
    """Audit ``action`` names of organizations and members."""

    ENTERPRISE_REGISTER = "enterprise.register"
    ENTERPRISE_APPROVE = "enterprise.approve"
    ENTERPRISE_REJECT = "enterprise.reject"
    ENTERPRISE_IMPORT = "enterprise.import"
    ENTERPRISE_IMPORT_UPDATE = "enterprise.import_update"
    MEMBER_CREATE = "member.create"
    ENTERPRISE_SET_KIND = "enterprise.set_kind"
    ENTERPRISE_SET_LOCATION = "enterprise.set_location"
