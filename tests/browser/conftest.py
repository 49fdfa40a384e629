"""Browser tests: Debian's Chromium driven by Playwright (sync API) against ``live_server``.

Never ``playwright install``: the tests use the system browser at CHROMIUM. Each test module
here sets ``pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]``:
the live server answers from another thread and must see the rows the test commits.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import service_missing

# Playwright's sync API runs an asyncio event loop in the test thread, which makes Django
# refuse ORM calls from fixtures and tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A portrait 10-inch tablet, as used in classrooms: touch, but a desktop-class browser.
TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True, "is_mobile": False}
# The SENDCo's laptop or office desktop: mouse and keyboard.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "has_touch": False, "is_mobile": False}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        service_missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def tablet(browser):
    """A fresh page in a tablet-sized touch context; cookies do not leak between tests."""
    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    """A fresh page in a desktop-sized context (mouse and keyboard, no touch)."""
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
