"""Browser journeys of the web console (Playwright, sync API) against a live server with the demo data.

- Chromium is Debian's ``/usr/bin/chromium`` (``scripts/system-deps.sh`` installs it as root); Playwright
  never downloads a browser. The console must be built (``make test`` runs ``npm run build`` first).
- ``live_server`` here replaces pytest-django's: the same server thread, but without Django's static
  handler in front, so ``/static/console/`` is served by whitenoise as in production (backend/console).
- Every journey starts from a freshly loaded demo (``manage.py load_demo``; transactional database).
- ``page`` is a desktop (1440×900), ``phone`` a phone (375×812, touch); ``login(page, username)`` signs
  in through the login page with the demo password; ``shot(page, name)`` keeps a screenshot in
  ``var/browser/<name>.png`` (CI artifacts).

Mark journeys with ``pytestmark = pytest.mark.browser`` (registered in pyproject.toml).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests themselves are
# synchronous and safe (Django refuses them under a running loop unless told).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
DEMO_PASSWORD = "demo-pass-2026"  # inspections/management/commands/load_demo.py
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "browser"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _seed_divisions() -> None:
    """The divisions of the data migration 0002 (a transactional test's flush empties the table)."""
    from backend.accounts.divisions import DIVISIONS
    from backend.accounts.models import Division

    if not Division.objects.exists():
        for code, name, parent in DIVISIONS:
            Division.objects.update_or_create(code=code, defaults={"name": name, "parent_id": parent})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a journey's flush, put the migration-seeded divisions back for the tests that follow."""
    yield
    from pytest_django.plugin import blocking_manager_key

    # (not after the last test: the session's teardown has dropped the test database by then)
    if nextitem is not None and "demo" in getattr(item, "fixturenames", ()):
        with item.config.stash[blocking_manager_key].unblock():
            _seed_divisions()


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server without the static-files handler (whitenoise serves the console)."""
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    index = settings.CONSOLE_DIST_DIR / "index.html"
    assert index.exists(), f"the console is not built ({index}): run `make test`, or `cd frontend && npm ci && npm run build`"
    server = LiveServer("127.0.0.1", start=False)
    server.thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, connections_override={})
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # The live server speaks plain HTTP: cookies without the Secure flag.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def demo(live_server, transactional_db):
    """The demo data and accounts (``load_demo``), committed, for the server thread to see (after another
    transactional test's flush the divisions of migration 0002 are put back first)."""
    _seed_divisions()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 — closed with the process
    return live_server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as actions (a loaded CI machine)

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: bash scripts/system-deps.sh (as root) installs it"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _settle(ctx) -> None:
    """Let the pages' requests finish before the context closes: the flush after the test must not race a
    request still running in the server (a PostgreSQL TRUNCATE deadlocks with it)."""
    for p in ctx.pages:
        try:
            p.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # noqa: BLE001, S110 — a page that never settles is closed all the same
            pass
    ctx.close()


def _context(browser, live_server, **kwargs):
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **kwargs)
    ctx.set_default_timeout(TIMEOUT_MS)
    return ctx


@pytest.fixture
def page(browser, demo):
    """A desktop page (1440×900) on the live server with the demo loaded."""
    ctx = _context(browser, demo, viewport=DESKTOP)
    p = ctx.new_page()
    yield p
    _settle(ctx)


@pytest.fixture
def phone(browser, demo):
    """A phone page (375×812, touch, mobile) on the same server."""
    ctx = _context(browser, demo, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    p = ctx.new_page()
    yield p
    _settle(ctx)


@pytest.fixture
def new_page(browser, demo):
    """More desktop pages, each its own browser context (another user at the same time)."""
    contexts = []

    def make(viewport=DESKTOP, **kwargs):
        ctx = _context(browser, demo, viewport=viewport, **kwargs)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        _settle(ctx)


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login page (the one shown, else ``/login``); waits until a console page shows."""
    if "/login" not in page.url:
        page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("[data-test=login]").click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith(("/e/", "/r/", "/m/")))


def logout(page) -> None:
    page.locator("[data-test=logout]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/login")


def pick(page, field: str, option_text: str) -> None:
    """Choose ``option_text`` in the Element Plus select of the form item ``data-field=<field>``."""
    page.locator(f"[data-field={field}] .el-select").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text=option_text).first.click()


def png(path: Path, colour: str = "orange") -> Path:
    """A small photo (PNG) to upload."""
    from PIL import Image

    Image.new("RGB", (64, 48), colour).save(path, "PNG")
    return path


def shot(page, name: str) -> Path:
    """A full-page screenshot to var/browser/<name>.png (kept as CI artifacts)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
