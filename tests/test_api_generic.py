"""One suite over every router entry of the API, generated from the URL configuration.

The routes are read from ``backend.urls``' resolver (every pattern whose view is a DRF viewset
route carries its router ``basename`` and whether it is a detail route), never listed by hand.
Each router entry needs a *seed* below (how to make one row its reader sees) or a line in
:data:`EXCLUDED` saying why it cannot be covered; a new route with neither fails
:func:`test_every_router_entry_is_covered`. For every entry:

(a) a user of another organization gets 404 on every detail route and method of an object of the
    owner enterprise (or of its regulator): the same answer as for an id that does not exist (a 403
    is accepted only when it is what that caller gets for a missing object too, i.e. it tells
    nothing), at least one outsider reaches the object lookup (a 404), and nothing is written;
(b) a member of the regulator that *does* see the enterprise cannot write its data: every unsafe
    method on enterprise routes answers 403/404/405 and writes nothing, except the regulator
    actions the viewsets declare (``regulator_actions``) and the few listed in
    :data:`REGULATOR_ACTIONS`;
(c) an unknown filter parameter on every list is a 400 ``unknown_filter`` naming the parameter;
(d) a list's query count does not grow with its rows (2 rows vs 12 rows, same count).

And, because they come for free once every route is enumerated: an anonymous caller gets 401 on
every route that is not public; an unknown ``ordering`` is a 400 ``invalid_ordering``; junk values
of every declared filter (not a number, past bigint, a bad date) are a 400 naming the filter,
never a 500; an empty-body write by the object's own organization, in every role, is a coded 4xx
(or a success), never a 500. Defects found and not fixed yet are strict xfails in
:data:`KNOWN_DEFECTS` (the fix turns them red until the line is deleted).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from backend.accounts.models import Role
from backend.audit.models import Event
from compliance.models import DailyRiskCommitment, ImportJob, RiskPoint
from inspections.models import WhistleblowerPhoto
from special_ops.models import WorkPermit
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    NotificationFactory,
    RiskPointFactory,
    member,
)
from tests.factories.compliance import (
    ControlMeasureFactory,
    HazardExtensionFactory,
    HazardFactory,
    HazardPhotoFactory,
    InvestigationTaskFactory,
    RiskEventFactory,
)
from tests.factories.inspections import (
    ConflictOfInterestFactory,
    DrawFactory,
    FindingFactory,
    InspectionFactory,
    InspectionTemplateFactory,
    ReportJobFactory,
    WhistleblowerReportFactory,
)
from tests.factories.special_ops import GasTestFactory, PermitWorkerFactory, WorkPermitFactory

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
MISSING_ID = 987_654_321  # an id no test row has: what a caller gets for an object that does not exist


# --- the routes ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """One URL pattern of a viewset: its router ``basename`` (None off a router), URL name,
    whether it is a detail route, its lookup kwarg, and ``{http method: viewset action}``."""

    basename: str | None
    name: str
    detail: bool
    lookup: str | None
    actions: tuple[tuple[str, str], ...]
    viewset: type

    def url(self, lookup_value: Any = None) -> str:
        kwargs = {self.lookup: lookup_value} if self.detail else {}
        return reverse(self.name, kwargs=kwargs)


def _walk(patterns, namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, namespace)
        elif isinstance(p, URLPattern):
            yield p


def collect_routes() -> list[Route]:
    """Every viewset route of the URL configuration (router entries and viewsets mounted by hand)."""
    routes = []
    for p in _walk(get_resolver().url_patterns):
        actions = getattr(p.callback, "actions", None)
        if actions is None:
            continue
        cls = p.callback.cls
        init = p.callback.initkwargs
        detail = bool(init.get("detail", False)) or bool(p.pattern.regex.groupindex)
        lookup = (cls.lookup_url_kwarg or cls.lookup_field) if detail else None
        routes.append(Route(init.get("basename"), p.name, detail, lookup, tuple(sorted(actions.items())), cls))
    return routes


ROUTES = collect_routes()
ENTRIES = sorted({r.basename for r in ROUTES if r.basename})


# --- who is who ------------------------------------------------------------------------------------
@pytest.fixture
def world(orgs):
    """``orgs`` plus the outsider enterprise's principal and employee (every enterprise role)."""
    orgs.outsider_principal = member(orgs.outsider, Role.PRINCIPAL)
    orgs.outsider_employee = member(orgs.outsider, Role.EMPLOYEE)
    return orgs


#: Users of another organization than the owner enterprise and its regulator (高青县).
OUTSIDERS = ("outsider_admin", "outsider_officer", "outsider_principal", "outsider_employee",
             "other_inspector", "other_reg_admin")
#: Members of the regulator whose jurisdiction holds the owner enterprise.
REGULATORS = ("inspector", "reg_admin")


# --- seeds: one visible row per router entry --------------------------------------------------------
@dataclass(frozen=True)
class Seed:
    """How to make a row of a router entry. ``make(w, i)`` makes the ``i``-th row the ``reader``
    sees (rich: with the related rows its serializer shows, so an N+1 shows up); ``side`` is
    ``enterprise`` (the owner enterprise's data), ``regulator`` (the regulator's own work) or
    ``public``; ``detail_object(w)`` is the object of the detail tests when it is not a made row."""

    reader: str | None
    make: Callable[[Any, int], Model]
    side: str = "enterprise"
    detail_object: Callable[[Any], Model] | None = None
    lookup_attr: str = "pk"


def _point(w, i):
    point = RiskPointFactory(enterprise=w.owner)
    ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=point))
    return point


def _event(w, i):
    event = RiskEventFactory(risk_point=RiskPointFactory(enterprise=w.owner))
    ControlMeasureFactory(risk_event=event)
    ControlMeasureFactory(risk_event=event)
    return event


def _measure(w, i):
    return ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=RiskPointFactory(enterprise=w.owner)))


def _hazard(w, i, **kw):
    h = HazardFactory(enterprise=w.owner, risk_point=RiskPointFactory(enterprise=w.owner), reporter=w.officer,
                      responsible_person=w.employee, **kw)
    HazardPhotoFactory(hazard=h, uploaded_by=w.officer)
    HazardExtensionFactory(hazard=h, requested_by=w.employee)
    return h


def _extension(w, i):
    return HazardExtensionFactory(hazard=HazardFactory(enterprise=w.owner, responsible_person=w.employee),
                                  requested_by=w.employee)


def _photo(w, i):
    return HazardPhotoFactory(hazard=HazardFactory(enterprise=w.owner), uploaded_by=w.officer)


def _task(w, i):
    return InvestigationTaskFactory(measure=_measure(w, i))


def _permit(w, i):
    p = WorkPermitFactory(enterprise=w.owner, risk_point=RiskPointFactory(enterprise=w.owner),
                          applicant_user=w.officer, created_by=w.officer)
    PermitWorkerFactory(permit=p)
    GasTestFactory(permit=p, recorded_by=w.officer)
    return p


def _prework(w, i):
    # a permit reported before work whose window overlaps today (the feed's default day)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8)))
    p = _permit(w, i)
    WorkPermitFactory._meta.model.objects.filter(pk=p.pk).update(
        state="approved", planned_start=start, planned_end=start + dt.timedelta(hours=8),
        prework_reported_at=timezone.now(), prework_reasons=["table"])
    return p


def _lift(w, i):
    from special_ops.models import LiftRiskRecord

    return LiftRiskRecord.objects.create(enterprise=w.owner, load_t=5, work_content="吊装", location="泵房",
                                         planned_at=timezone.now(), risk_analysis="起重伤害", measures=["警戒"],
                                         recorded_by=w.officer, recorded_by_name="刘晓燕")


def _commitment(w, i):
    return DailyRiskCommitment.objects.create(
        enterprise=w.owner, day=dt.date(2026, 1, 1) + dt.timedelta(days=i), units_running=3, signed_by=w.officer,
        signer_name="韩德茂", signed_at=timezone.now(), snapshot={"operations_total": 0})


def _zone(w, i):
    from compliance.models import RiskZone, RiskZonePoint

    zone = RiskZone.objects.create(enterprise=w.owner, name=f"区域{i}", polygon=[[0, 0], [10, 0], [10, 10]])
    RiskZonePoint.objects.create(zone=zone, point=RiskPointFactory(enterprise=w.owner, level="high"))
    return zone


def _inspection(w, i, **kw):
    insp = InspectionFactory(regulator=w.gaoqing, enterprise=w.owner, created_by=w.inspector,
                             inspectors=[w.inspector, w.inspector2], **kw)
    FindingFactory(inspection=insp, hazard=HazardFactory(enterprise=w.owner))
    return insp


def _finding(w, i):
    insp = InspectionFactory(regulator=w.gaoqing, enterprise=w.owner, created_by=w.inspector,
                             inspectors=[w.inspector, w.inspector2])
    return FindingFactory(inspection=insp, hazard=HazardFactory(enterprise=w.owner))


def _closed_inspection(w, i):
    return _inspection(w, i, state="closed", closed_at=timezone.now())


def _published_draw(w, i):
    # a published 双随机 draw with one closed inspection (its outcome is on the public page)
    draw = DrawFactory(regulator=w.gaoqing, created_by=w.reg_admin, published_at=timezone.now())
    _inspection(w, i, state="closed", closed_at=timezone.now(), draw=draw, kind="drawn")
    return draw


SEEDS: dict[str, Seed] = {
    # platform
    "enterprise": Seed("inspector", lambda w, i: EnterpriseFactory(division_code="370322101"),
                       detail_object=lambda w: w.owner),
    "notification": Seed("officer", lambda w, i: NotificationFactory(
        recipient_user=w.officer if i % 2 else None, recipient_enterprise=None if i % 2 else w.owner)),
    "member": Seed("officer", lambda w, i: MembershipFactory(enterprise=w.owner, role=Role.EMPLOYEE),
                   detail_object=lambda w: w.employee.membership, lookup_attr="user_id"),
    # compliance (the audit-* entries are the regulator's read-only view of the same rows)
    "risk-point": Seed("officer", _point),
    "risk-event": Seed("officer", _event),
    "control-measure": Seed("officer", _measure),
    "hazard": Seed("officer", _hazard),
    "hazard-extension": Seed("officer", _extension),
    "hazard-photo": Seed("officer", _photo),
    "investigation-task": Seed("officer", _task),
    "risk-commitment": Seed("officer", _commitment),
    "risk-zone": Seed("officer", _zone),
    "audit-enterprise": Seed("inspector", lambda w, i: EnterpriseFactory(division_code="370322101"),
                             detail_object=lambda w: w.owner),
    "audit-risk-point": Seed("inspector", _point),
    "audit-risk-event": Seed("inspector", _event),
    "audit-control-measure": Seed("inspector", _measure),
    "audit-hazard": Seed("inspector", _hazard),
    "audit-investigation-task": Seed("inspector", _task),
    # 安全风险一张图: one map feature per enterprise of the jurisdiction (list only, no detail route)
    "audit-risk-map": Seed("inspector", lambda w, i: _point(w, i).enterprise if i == 0 else EnterpriseFactory(
        division_code="370322101", lon="117.70", lat="37.18")),
    # special operations
    "permit": Seed("officer", _permit),
    "audit-permit": Seed("inspector", _permit),
    "audit-prework-report": Seed("inspector", _prework),
    "lift-record": Seed("officer", _lift),
    # the regulator's own work
    "inspection": Seed("inspector", _inspection, side="regulator"),
    "inspection-finding": Seed("inspector", _finding, side="regulator"),
    "hazard-supervision": Seed("inspector", lambda w, i: _hazard(w, i, grade="major", supervised=True,
                                                                 supervised_by=w.gaoqing), side="regulator"),
    "draw": Seed("inspector", lambda w, i: DrawFactory(regulator=w.gaoqing, created_by=w.reg_admin), side="regulator"),
    "conflict-of-interest": Seed("inspector", lambda w, i: ConflictOfInterestFactory(
        regulator=w.gaoqing, inspector=member(w.gaoqing, Role.INSPECTOR), enterprise=w.owner, declared_by=w.reg_admin),
        side="regulator"),
    "whistleblower-report": Seed("inspector", lambda w, i: WhistleblowerReportFactory(
        enterprise=w.owner, division_code=w.owner.division_code), side="regulator"),
    "whistleblower-photo": Seed("inspector", lambda w, i: WhistleblowerPhoto.objects.create(
        report=WhistleblowerReportFactory(enterprise=w.owner, division_code=w.owner.division_code),
        file=f"whistleblower/test/{i}.png", content_type="image/png", size=10), side="regulator"),
    "public-inspection-result": Seed(None, _closed_inspection, side="public"),
    "public-draw": Seed(None, _published_draw, side="public"),
    # 双报告: the enterprise's reports, read by the enterprise and by its regulator
    "report": Seed("officer", lambda w, i: ReportJobFactory(enterprise=w.owner, requested_by=w.officer)),
    "import-job": Seed("officer", lambda w, i: ImportJob.objects.create(
        enterprise=w.owner, kind="ledger", filename=f"台账{i}.xlsx", file=f"imports/{i}.xlsx", rows_total=3000,
        requested_by=w.officer)),
}

#: Router entries the suite cannot cover, each with the reason. Keep it short: an entry here is
#: an endpoint whose isolation nobody checks generically.
EXCLUDED: dict[str, str] = {
    # Checklist templates are national/common reference data (no organization owns a row): every
    # regulator member reads every version, so there is no "other organization" to isolate from.
    # Its list still gets (c) and (d) through LIST_ONLY below.
    "inspection-template": "shared reference data: no owner organization (list checks still run)",
    # The jurisdiction's boundary file and town names: reference data, no row any organization owns
    # (another county's regulator gets its own jurisdiction's, tests/inspections/test_risk_map.py).
    "audit-boundary": "offline reference data of the caller's jurisdiction: no owner organization (list checks still run)",
}
#: Excluded entries whose *lists* still get the unknown-filter and query-count checks.
LIST_ONLY: dict[str, Seed] = {
    "inspection-template": Seed("inspector", lambda w, i: InspectionTemplateFactory(), side="regulator"),
    "audit-boundary": Seed("inspector", lambda w, i: EnterpriseFactory(), side="regulator"),
}

#: Unsafe actions a regulator member may call on enterprise routes besides the viewsets'
#: ``regulator_actions`` (each is the regulator's decision on an enterprise's object).
REGULATOR_ACTIONS: dict[str, set[str]] = {
    # registration review; CSV import; kind (rule set); the site coordinates of the jurisdiction map
    "enterprise": {"approve", "reject", "import_csv", "kind", "location"},
    "report": {"create"},  # a regulator requests its own jurisdiction report (kind=jurisdiction)
    "member": {"create"},  # an organization's admin adds members to their own organization (the regulator's)
}

#: Viewset routes mounted by hand (not through a router), by URL name: the side they write and the
#: model they write, for the regulator-write check.
OFF_ROUTER: dict[str, tuple[str, type[Model]]] = {
    "risk-register-import": ("enterprise", RiskPoint),  # the risk register's Excel import (POST only)
    "risk-register-export": ("enterprise", RiskPoint),  # the risk register as .xlsx (GET only)
    "permit-ledger-export": ("enterprise", WorkPermit),  # the permit ledger 作业票台账 as .xlsx (GET only)
}

#: How many router entries the URL configuration has; a new entry changes it (and needs a seed).
ROUTER_ENTRY_COUNT = 36


def _seed_for(basename: str) -> Seed:
    return SEEDS.get(basename) or LIST_ONLY[basename]


def _client(api, w, persona: str | None):
    return api(getattr(w, persona) if persona else None)


def _call(client, method: str, url: str):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, {}, format="json")


def _code(response) -> str | None:
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return None
    return errors[0].get("code") if errors else None


def _snapshot(obj: Model) -> dict[str, Any] | None:
    return type(obj).objects.filter(pk=obj.pk).values().first()


def _routes(*, detail: bool | None = None, basenames=None):
    for r in ROUTES:
        if r.basename is None or (basenames is not None and r.basename not in basenames):
            continue
        if detail is None or r.detail == detail:
            yield r


#: Defects the suite found that are not fixed yet: (test, case id) → what happens. Each case is a
#: strict xfail, so the fix makes it pass and fail the run until its line here is deleted.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


def _cases(routes, methods: Callable[[Route, str], bool], test: str = ""):
    cases = []
    for r in routes:
        for m, _ in r.actions:
            if not methods(r, m):
                continue
            case_id = f"{r.name}:{m.upper()}"
            defect = KNOWN_DEFECTS.get((test, case_id))
            marks = [pytest.mark.xfail(reason=defect, strict=True)] if defect else []
            cases.append(pytest.param(r, m, id=case_id, marks=marks))
    return cases


# --- coverage ---------------------------------------------------------------------------------------
def test_every_router_entry_is_covered(capsys):
    """Every router entry has a seed or a documented exclusion, and neither table names a route that
    no longer exists."""
    missing = [b for b in ENTRIES if b not in SEEDS and b not in EXCLUDED]
    stale = sorted((set(SEEDS) | set(EXCLUDED) | set(LIST_ONLY)) - set(ENTRIES))
    assert not missing, f"new router entries without a seed in tests/test_api_generic.py: {missing}"
    assert not stale, f"seeds/exclusions for routes that no longer exist: {stale}"
    off_router = sorted({r.name for r in ROUTES if r.basename is None})
    assert off_router == sorted(OFF_ROUTER), f"viewset routes off the routers: {off_router}; OFF_ROUTER lists {sorted(OFF_ROUTER)}"
    covered = [b for b in ENTRIES if b in SEEDS]
    with capsys.disabled():
        sys.stdout.write(f"\n[test_api_generic] {len(covered)} of {len(ENTRIES)} router entries covered "
                         f"({len(list(_routes()))} routes); excluded: {sorted(EXCLUDED)}\n")
    assert len(ENTRIES) == ROUTER_ENTRY_COUNT, (
        f"the URL configuration has {len(ENTRIES)} router entries, not {ROUTER_ENTRY_COUNT}: give the new "
        "ones a seed (or an exclusion with its reason) and update ROUTER_ENTRY_COUNT")


# --- (a) outsiders get 404 ----------------------------------------------------------------------------
OUTSIDER_CASES = _cases(_routes(detail=True, basenames=set(SEEDS)), lambda r, m: True)


@pytest.mark.parametrize(("route", "method"), OUTSIDER_CASES)
def test_outsider_gets_404_on_every_detail_route(api, world, route, method):
    seed = SEEDS[route.basename]
    obj = seed.detail_object(world) if seed.detail_object else seed.make(world, 0)
    value = getattr(obj, seed.lookup_attr)
    before, events = _snapshot(obj), Event.objects.count()
    reached = []
    for persona in OUTSIDERS:
        client = _client(api, world, persona)
        r = _call(client, method, route.url(value))
        missing = _call(client, method, route.url(MISSING_ID))
        assert r.status_code < 500, f"{persona}: {r.status_code} {r.content[:300]!r}"
        assert (r.status_code, _code(r)) == (missing.status_code, _code(missing)), (
            f"{persona} on another organization's object: {r.status_code} {_code(r)}, on a missing one: "
            f"{missing.status_code} {_code(missing)} — the answer tells the object exists")
        assert r.status_code in (403, 404, 405), f"{persona}: {r.status_code} {r.content[:300]!r}"
        if r.status_code == 404:
            reached.append(persona)
    # A method the viewset refuses for everyone (read-only viewsets: 403/405) has no lookup to reach.
    if method in route.viewset.http_method_names:
        assert reached, "no outsider got past the permission check to the (scoped) object lookup"
    assert _snapshot(obj) == before and Event.objects.count() == events


def _public(route: Route) -> bool:
    seed = SEEDS.get(route.basename) or LIST_ONLY.get(route.basename)
    return seed is not None and seed.side == "public"


@pytest.mark.parametrize(("route", "method"), _cases([r for r in _routes() if not _public(r)], lambda r, m: True))
def test_anonymous_gets_401_everywhere_but_public_routes(api, world, route, method):
    url = route.url(MISSING_ID) if route.detail else route.url()
    r = _call(api(), method, url)
    assert r.status_code == 401, f"{r.status_code} {r.content[:300]!r}"


# --- (b) the regulator cannot write enterprise data ------------------------------------------------------
def _is_regulator_action(route: Route, method: str) -> bool:
    action = dict(route.actions)[method]
    declared = set(getattr(route.viewset, "regulator_actions", ())) | REGULATOR_ACTIONS.get(route.basename, set())
    return action in declared


ENTERPRISE_ENTRIES = {b for b, s in SEEDS.items() if s.side == "enterprise"}
REGULATOR_WRITE_CASES = _cases(_routes(basenames=ENTERPRISE_ENTRIES),
                               lambda r, m: m in UNSAFE and not _is_regulator_action(r, m), "regulator_write")


@pytest.mark.parametrize(("route", "method"), REGULATOR_WRITE_CASES)
def test_regulator_cannot_write_enterprise_data(api, world, route, method):
    seed = SEEDS[route.basename]
    obj = seed.detail_object(world) if seed.detail_object else seed.make(world, 0)
    model = type(obj)
    before, rows, events = _snapshot(obj), model.objects.count(), Event.objects.count()
    url = route.url(getattr(obj, seed.lookup_attr)) if route.detail else route.url()
    for persona in REGULATORS:
        r = _call(_client(api, world, persona), method, url)
        assert r.status_code in (403, 404, 405), f"{persona}: {r.status_code} {r.content[:300]!r}"
    assert _snapshot(obj) == before and model.objects.count() == rows and Event.objects.count() == events


@pytest.mark.parametrize(("route", "method"), _cases(
    [r for r in ROUTES if r.basename is None and OFF_ROUTER[r.name][0] == "enterprise"],
    lambda r, m: m in UNSAFE, "regulator_write"))
def test_regulator_cannot_write_enterprise_data_off_the_routers(api, world, route, method):
    model = OFF_ROUTER[route.name][1]
    rows, events = model.objects.count(), Event.objects.count()
    for persona in REGULATORS:
        r = _call(_client(api, world, persona), method, route.url())
        assert r.status_code in (403, 404, 405), f"{persona}: {r.status_code} {r.content[:300]!r}"
    assert model.objects.count() == rows and Event.objects.count() == events


#: The owner organization's members per side (every role), for the empty-body check.
INSIDERS = {"enterprise": ("admin", "officer", "principal", "employee"), "regulator": ("inspector", "reg_admin")}


@pytest.mark.parametrize(("route", "method"), _cases(
    _routes(basenames={b for b, s in SEEDS.items() if s.side in INSIDERS}), lambda r, m: m in UNSAFE, "empty_body"))
def test_empty_body_is_never_a_500(api, world, route, method):
    """Every write of the object's own organization, with an empty body, is a coded 4xx (or a
    success), never a 500."""
    seed = SEEDS[route.basename]
    obj = seed.detail_object(world) if seed.detail_object else seed.make(world, 0)
    url = route.url(getattr(obj, seed.lookup_attr)) if route.detail else route.url()
    for persona in INSIDERS[seed.side]:
        r = _call(_client(api, world, persona), method, url)
        assert r.status_code < 500, f"{persona}: {r.status_code} {r.content[:300]!r}"
        if r.status_code >= 400:
            assert _code(r), f"{persona}: {r.status_code} without a code: {r.content[:300]!r}"


# --- (c) unknown filters are refused -------------------------------------------------------------------
LIST_ENTRIES = set(SEEDS) | set(LIST_ONLY)
LIST_CASES = _cases(_routes(detail=False, basenames=LIST_ENTRIES), lambda r, m: m == "get")


#: A query parameter no list accepts, and the coded 400 it must get (code, attr).
BAD_PARAMETERS = {
    "unknown_filter": ({"no_such_filter": "1"}, "unknown_filter", "no_such_filter"),
    "unknown_ordering": ({"ordering": "no_such_field"}, "invalid_ordering", "ordering"),
}


@pytest.mark.parametrize("kind", sorted(BAD_PARAMETERS))
@pytest.mark.parametrize(("route", "method"), _cases(_routes(detail=False, basenames=LIST_ENTRIES),
                                                     lambda r, m: m == "get", "unknown_filter"))
def test_unknown_filter_or_ordering_is_400(api, world, route, method, kind):
    params, code, attr = BAD_PARAMETERS[kind]
    seed = _seed_for(route.basename)
    seed.make(world, 0)
    r = _client(api, world, seed.reader).get(route.url(), params)
    assert r.status_code == 400, f"{r.status_code} {r.content[:300]!r}"
    assert (r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]) == (code, attr)


#: Values that break naive filters: not a number/date/choice, a number past bigint, a negative id.
JUNK = ("zz", "9" * 30, "-1", "2026-13-45", "1,zz")


@pytest.mark.parametrize(("route", "method"), _cases(_routes(detail=False, basenames=LIST_ENTRIES),
                                                     lambda r, m: m == "get", "junk_filter"))
def test_junk_filter_values_are_400_never_500(api, world, route, method):
    seed = _seed_for(route.basename)
    seed.make(world, 0)
    client = _client(api, world, seed.reader)
    filterset = getattr(route.viewset, "filterset_class", None)
    names = sorted(filterset.base_filters) if filterset is not None else []
    for name in names:
        for value in JUNK:
            r = client.get(route.url(), {name: value})
            assert r.status_code in (200, 400), f"?{name}={value}: {r.status_code} {r.content[:300]!r}"
            if r.status_code == 400:
                assert r.json()["errors"][0]["attr"] == name, f"?{name}={value}: {r.content[:300]!r}"


# --- (d) a list's query count does not grow with its rows ---------------------------------------------
@pytest.mark.parametrize(("route", "method"), LIST_CASES)
def test_list_query_count_is_flat(api, world, route, method):
    seed = _seed_for(route.basename)
    client = _client(api, world, seed.reader)

    def measure() -> tuple[int, int | None]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(route.url(), {"page_size": 50})
        assert r.status_code == 200, f"{r.status_code} {r.content[:300]!r}"
        body = r.json() if r["Content-Type"].startswith("application/json") else None
        return len(ctx.captured_queries), (body.get("count") if isinstance(body, dict) else None)

    for i in range(2):
        seed.make(world, i)
    small, count_small = measure()
    for i in range(2, 12):
        seed.make(world, i)
    large, count_large = measure()
    if count_small is not None:
        assert count_large - count_small == 10, "the seeds are not visible to the list's reader"
    assert large == small, f"{small} queries with 2 rows, {large} with 12"
