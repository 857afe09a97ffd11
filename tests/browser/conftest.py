"""Playwright driving Debian's Chromium (no browser download here)."""

import os
import shutil
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the tests make to set up their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("EDITORIAL_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Leaving a page with unsaved text asks first; the tests always mean to leave.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    close_quietly(context)


def close_quietly(context):
    """Close a browser context without its pages' last words reaching the server: a page
    leaving sends a beacon (the editor's presence), which the live server would handle
    while the test database is being emptied, and PostgreSQL's TRUNCATE then deadlocks
    with it."""
    context.route("**/*", lambda route: route.abort())
    context.close()
    # A request already sent (an autosave, a heartbeat) may still be in the live server's
    # hands: let it finish before the database is emptied (a TRUNCATE deadlocked with one).
    time.sleep(0.3)


@pytest.fixture(autouse=True)
def _migration_data(migration_data):
    """Every browser test runs against a live server with the roles and companies."""


@pytest.fixture
def task_worker():
    """The task worker (`manage.py worker`) running beside the live server, as in
    production: uploaded pictures get made, mail gets sent. (Its loop, in a thread: the
    command would set signal handlers, which only the main thread may.)"""
    import threading

    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0.2, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="browser-tests", excluded_queue_names=[])

    def work():
        try:
            worker.run()
        finally:
            connection.close()  # this thread's own; the test database is dropped after

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    worker.running = False
    thread.join(60)
