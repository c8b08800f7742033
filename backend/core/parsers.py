"""Request body parsers of the API: every malformed or oversized body is a coded 4xx, never a 500.

Set as ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``; views that list parsers take them from here.

==========================  ======  ==========================================================
input                       status  code
==========================  ======  ==========================================================
JSON body > DATA_UPLOAD_    413     ``request_too_large`` (checked on Content-Length before reading,
MAX_MEMORY_SIZE (2.5 MB)            and on the bytes read)
JSON nested too deeply      400     ``too_deeply_nested`` (more than ``MAX_JSON_DEPTH`` levels)
JSON with a lone surrogate  400     ``invalid_unicode`` (``"\\udfff"``: not encodable as UTF-8)
form > 1,000 fields         400     ``too_many_fields`` (DATA_UPLOAD_MAX_NUMBER_FIELDS)
form > 100 files            400     ``too_many_files`` (DATA_UPLOAD_MAX_NUMBER_FILES)
form fields > 2.5 MB        413     ``request_too_large``
==========================  ======  ==========================================================

(BREAKIT D8, D15.) :func:`request_error` maps the same Django exceptions when they escape a view by
another way (the exception handler uses it).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from rest_framework import exceptions, parsers, status

#: Deepest nesting of arrays/objects a JSON body may have (no API body needs more than a handful).
MAX_JSON_DEPTH = 64


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "请求体过大。"


def request_error(exc: BaseException) -> exceptions.APIException | None:
    """The coded API error for a Django request-size/shape exception or a RecursionError; None otherwise."""
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge(f"请求体超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} 字节。")
    if isinstance(exc, TooManyFieldsSent):
        return exceptions.ParseError(f"表单字段超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个。", code="too_many_fields")
    if isinstance(exc, TooManyFilesSent):
        return exceptions.ParseError(f"上传文件超过 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个。", code="too_many_files")
    if isinstance(exc, RecursionError):
        return exceptions.ParseError("请求数据嵌套层级过深。", code="too_deeply_nested")
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError("请求格式不被接受。", code="bad_request")
    return None


def _mapped(exc: BaseException) -> exceptions.APIException:
    """:func:`request_error` of an exception it is known to map."""
    err = request_error(exc)
    assert err is not None, exc
    return err


def _depth_ok(text: str) -> bool:
    """True when brackets outside strings nest at most MAX_JSON_DEPTH deep (one linear scan)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _check_unicode(value: Any) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise exceptions.ParseError("请求包含无效的 Unicode 字符（孤立代理项）。", code="invalid_unicode")
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size cap, a depth cap and a UTF-8 check of every string (see module)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise _mapped(RequestDataTooBig())
        if stream is None:
            raise exceptions.ParseError("JSON parse error - empty body", code="parse_error")
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise _mapped(RequestDataTooBig())
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise exceptions.ParseError("JSON parse error - 请求体不是有效的 UTF-8。", code="parse_error")
        if not _depth_ok(text):
            raise _mapped(RecursionError())
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise _mapped(RecursionError())
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}", code="parse_error")
        _check_unicode(data)
        return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _DjangoErrorsMapped:
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)  # type: ignore[misc]  # a mixin
        except (SuspiciousOperation, RecursionError) as exc:
            raise _mapped(exc) from exc


class MultiPartParser(_DjangoErrorsMapped, parsers.MultiPartParser):
    """DRF's multipart parser; too many fields/files and oversized fields are coded 4xx."""


class FormParser(_DjangoErrorsMapped, parsers.FormParser):
    """DRF's urlencoded-form parser; too many fields and oversized bodies are coded 4xx."""
