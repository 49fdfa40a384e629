"""The SENDCo reads the coverage report at a desk: the pupils tab, the EHC plan hours and
the unsupported lessons, then one pupil's week; axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from staffing.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import sign_in

# The known timetable of the coverage tests (see that module's docstring).
from tests.staffing.test_coverage import day, known, tt  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sendco_reads_the_coverage_report_and_a_pupils_week(desktop, live_server, staff, known):  # noqa: F811
    page = desktop
    sign_in(page, live_server, staff[Role.SENDCO])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("Okafor, Maya")
    expect(rows.first).to_contain_text("17% supported")
    assert_accessible(page)

    sections = page.get_by_role("navigation", name="Coverage sections")
    sections.get_by_role("link", name="EHCP hours").click()
    expect(sections.get_by_role("link", name="EHCP hours")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("tbody tr").first).to_contain_text("Gap 3.5 h")
    expect(page.get_by_text("Over by 0.5 h")).to_be_visible()
    assert_accessible(page)

    sections.get_by_role("link", name="Unsupported lessons").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)

    page.get_by_label("Pupils on the register at least").fill("4")
    page.get_by_role("button", name="Show", exact=True).last.click()
    expect(page.get_by_text("Every lesson with 4 or more pupils")).to_be_visible()

    sections.get_by_role("link", name="EHCP hours").click()
    page.get_by_role("link", name="Brown, Ben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Brown: week with support")
    expect(page.get_by_text("2 of 6 lessons a cycle supported")).to_be_visible()
    expect(page.get_by_role("table", name="Week 1: Ben Brown's lessons")).to_be_visible()
    assert_accessible(page)


def test_coverage_without_a_timetable_is_accessible(desktop, live_server, staff, pupil):
    sign_in(desktop, live_server, staff[Role.SENDCO])
    desktop.goto(f"{live_server.url}/staff/coverage/")
    expect(desktop.get_by_text("No timetable yet.")).to_be_visible()
    assert_accessible(desktop)
