"""Schemathesis over the whole OpenAPI schema, as each role (issue 12 point 5; BREAKIT D23).

Every operation of ``/api/schema/`` gets a bounded number of generated requests
(``SCHEMATHESIS_EXAMPLES``, default 3 per operation and role) as anonymous, employee, safety
officer, principal, inspector and regulator admin, against the WSGI app in the test database, with
the owner enterprise's sample register and ledger loaded (list answers carry real rows). Asserted,
for every case: **no server error** (ST101), **the response matches its documented schema** (ST108)
and **its status code is documented** (ST103; the error answers are documented once, for every
operation, by ``backend.core.api.openapi.AutoSchema``). The figures per role (operations, cases,
failures by check code) are printed (``pytest -s``).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from backend.accounts.models import Role

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
_CHECKS = {"not_a_server_error": not_a_server_error, "response_schema_conformance": response_schema_conformance,
           "status_code_conformance": status_code_conformance}
#: All three are asserted; ``SCHEMATHESIS_CHECKS=not_a_server_error`` narrows a local run to one.
CHECKS = [_CHECKS[name] for name in os.environ.get("SCHEMATHESIS_CHECKS", ",".join(_CHECKS)).split(",")]
#: ``SCHEMATHESIS_ONLY=/audit/`` walks only the operations whose label contains it (while fixing one).
ONLY = os.environ.get("SCHEMATHESIS_ONLY", "")
ROLES = ["anonymous", Role.EMPLOYEE, Role.SAFETY_OFFICER, Role.PRINCIPAL, Role.INSPECTOR, "regulator_admin"]


@pytest.fixture
def api_schema(db, settings):
    """The schema, loaded from the WSGI app; requests keep the test's database connection (as
    Django's test client does, the per-request connection closing is off)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from backend.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def sample_data(orgs):
    """The owner enterprise's sample risk register and hazard ledger (risk points, events, measures and
    70 hazards with blank causes and empty links): list answers carry real rows for the schema checks."""
    from compliance.services.ledger_import import ledger_import
    from compliance.services.register_import import register_import
    from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

    register_import(actor=orgs.officer, enterprise=orgs.owner, source=str(REGISTER_XLSX))
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_XLSX)


@pytest.fixture
def role_headers(orgs, sample_data, monkeypatch):
    """Role → ``Authorization`` header for the owner enterprise's and 高青县 regulator's users ({} anonymous)."""
    from knox.models import AuthToken
    from rest_framework.throttling import SimpleRateThrottle

    # generated requests must reach the views, not the rate limits (tested in test_breakit_security)
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    users = {Role.EMPLOYEE: orgs.employee, Role.SAFETY_OFFICER: orgs.officer, Role.PRINCIPAL: orgs.principal,
             Role.INSPECTOR: orgs.inspector, "regulator_admin": orgs.reg_admin}
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[str(role)] = {"Authorization": f"Token {AuthToken.objects.create(user)[1]}"}
    assert set(headers) == {str(r) for r in ROLES}
    return headers


def test_every_operation_as_every_role(api_schema, role_headers):
    """Each operation × ``EXAMPLES`` generated cases × six roles. Every case is sent and checked (a
    failing case does not stop the operation), so the figures per role are whole: operations, cases,
    failures by check. Failures are listed together (operation, role, check, a curl to reproduce)."""
    from schemathesis.core.failures import Failure, FailureGroup

    figures: dict[str, Counter] = {role: Counter() for role in role_headers}
    failures: list[str] = []
    operations = [op for op in (result.ok() for result in api_schema.get_all_operations())
                  if ONLY in op.label]
    for operation in operations:

        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            for role, headers in role_headers.items():
                figures[role]["cases"] += 1
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except (Failure, FailureGroup) as exc:
                    found = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
                    for failure in found:
                        figures[role][failure.code] += 1
                        failures.append(f"{case.operation.label} as {role}: {failure.code} {failure.title}\n"
                                        f"    {failure.message[:400]}\n    {case.as_curl_command(headers)}\n"
                                        f"    → {response.status_code} {response.text[:300]}")

        run()
    for role, counts in figures.items():
        counts["operations"] = len(operations)
        print(f"schemathesis {role}: {dict(counts)}")  # noqa: T201 — the per-role figures (pytest -s)
    assert ONLY or len(operations) > 100  # the whole schema was walked
    assert failures == [], f"{len(failures)} failing cases:\n" + "\n".join(failures[:200])
