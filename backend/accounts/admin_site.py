"""The Django admin of the platform: limited logins, and no write around the audit trail.

- **Login** (BREAKIT D2): every ``POST /admin/login/`` counts against the same limits as the API login
  (:mod:`backend.accounts.throttles`: per normalised username and per client address); over a limit
  the answer is 429 with ``Retry-After`` and the password is not checked.
- **Audited models are read-only** (BREAKIT D6): the services write them and record each write in the
  audit trail; a form in the admin would write them with no event (a closed hazard changed to 重大 left
  no trace). Every model of the project's apps and of auth is therefore view-only in the admin, except
  :data:`ADMIN_WRITABLE`, platform configuration that no service writes; the admin's writes to those
  are recorded as ``admin.add`` / ``admin.change`` events on the platform chain. Nothing is deleted
  through the admin (a delete would cascade into audited rows).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpResponse

#: label_lower → what the admin may do there. Regulators (name, jurisdiction, notification e-mail and
#: webhook) and the division table are set up by the platform operator; no service writes them.
ADMIN_WRITABLE: dict[str, frozenset[str]] = {
    "accounts.regulator": frozenset({"add", "change"}),
    "accounts.division": frozenset({"add", "change"}),
    "knox.authtoken": frozenset({"delete"}),  # revoking a session token
}
#: Field names whose values are never written into an event (only that they changed).
_SECRET_HINTS = ("secret", "password", "token")


def _deny(*args: Any, **kwargs: Any) -> bool:
    return False


def admin_allows(model: type, op: str) -> bool:
    """Whether the admin may ``op`` (add, change, delete) rows of ``model``."""
    return op in ADMIN_WRITABLE.get(model._meta.label_lower, frozenset())


class AdminSite(admin.AdminSite):
    """The default admin site (``admin.site``), see the module docstring."""

    def login(self, request, extra_context=None):
        if request.method == "POST":
            from backend.accounts.throttles import login_refused

            wait = login_refused(request)
            if wait is not None:
                response = HttpResponse(f"登录尝试过于频繁，请 {int(wait) + 1} 秒后再试。", status=429,
                                        content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(int(wait) + 1)
                return response
        return super().login(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            if model in self._registry:  # swapped models (auth.User) are not registered
                _restrict(self._registry[model])


def _restrict(model_admin: admin.ModelAdmin) -> None:
    model = model_admin.model
    for op in ("add", "change", "delete"):
        if not admin_allows(model, op):
            setattr(model_admin, f"has_{op}_permission", _deny)
    if admin_allows(model, "add") or admin_allows(model, "change"):
        original = model_admin.save_model

        def save_model(request, obj, form, change, _original=original):
            from backend.audit.services import audit_record

            _original(request, obj, form, change)
            changed = {name: [None, "（已修改）" if any(h in name for h in _SECRET_HINTS) else str(form.cleaned_data.get(name))]
                       for name in (form.changed_data or [])}
            audit_record(actor=request.user, action="admin.change" if change else "admin.add", obj=obj, changes=changed)

        model_admin.save_model = save_model
