"""Deployment in a real browser: an FLS opens My day on a tablet and taps through to a
passport; the SENDCo allocates from an empty slot, records an absence and assigns cover in
one click; axe-core checks each page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from staffing.deployment.services import allocation_create
from staffing.models import Allocation, Cover, Role
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import sign_in
from tests.staffing.timetable import build_class, build_timetable, monday_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def school_day() -> datetime.date:
    day = timezone.localdate()
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def deployment(school_a, staff, pupil):
    day = school_day()
    tt = build_timetable(school_a, week_one_starts=monday_of(day))
    p2 = tt["periods"][(1, day.isoweekday(), "P2")]
    group = build_class(
        school_a,
        name="8X/En1",
        subject="English",
        faculty_name="English",
        teacher=staff[Role.TEACHER],
        pupils=[pupil],
        periods=[p2],
        room="E2",
    )
    allocation_create(
        actor=staff[Role.SENDCO], staff=staff[Role.FLS], period=p2, kind="IN_CLASS",
        group=group, starts_on=day,
    )  # fmt: skip
    return {"day": day, "tt": tt, "p2": p2, "group": group}


def test_fls_opens_my_day_on_a_tablet_and_taps_to_a_passport(
    tablet, live_server, staff, pupil, deployment
):
    page = tablet
    sign_in(page, live_server, staff[Role.FLS], touch=True)
    page.goto(f"{live_server.url}{reverse('staffing:my_day')}?date={deployment['day']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")
    slot = page.locator("li.card").filter(has=page.get_by_role("heading", name=re.compile("P2")))
    expect(slot).to_contain_text("In-class support: 8X/En1 (English), room E2")
    assert_accessible(page)
    slot.get_by_role("link", name=re.compile(pupil.full_name)).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(pupil.full_name)


def test_sendco_allocates_from_the_grid_then_covers_an_absence(
    desktop, live_server, staff, deployment
):
    page = desktop
    day = deployment["day"]
    hlta = staff[Role.HLTA]
    sign_in(page, live_server, staff[Role.SENDCO])
    page.goto(f"{live_server.url}{reverse('staffing:timetable', args=[hlta.pk])}?date={day}")
    assert_accessible(page)
    weekday = day.strftime("%A")
    page.get_by_role("link", name=f"Allocate {weekday} week 1 P1", exact=True).click()
    page.get_by_label("What for").select_option(label="Liaison and planning")
    page.get_by_label("From").fill(day.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("status")).to_contain_text("Allocated:")
    assert Allocation.objects.filter(staff=hlta, kind="LIAISON").exists()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Absence and cover"
    ).click()
    page.get_by_label("Who is away").select_option(
        label=f"{staff[Role.FLS].user.full_name} ({staff[Role.FLS].get_role_display()})"
    )
    page.get_by_label("From", exact=False).and_(page.locator("#id_starts_on")).fill(day.isoformat())
    page.locator("#id_ends_on").fill(day.isoformat())
    page.get_by_label("Reason").select_option(label="Illness")
    assert_accessible(page)
    page.get_by_role("button", name="Record and find cover").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cover for")
    expect(page.get_by_text("1 of 1 slot still needs cover")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Assign ")).first.click()
    expect(page.get_by_role("status")).to_contain_text("covers P2")
    expect(page.get_by_text("Covered")).to_be_visible()
    assert Cover.objects.count() == 1


def test_workload_and_faculty_pages_are_accessible(desktop, live_server, staff, deployment):
    sign_in(desktop, live_server, staff[Role.SENDCO])
    desktop.goto(f"{live_server.url}{reverse('staffing:workload')}")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Workload")
    assert_accessible(desktop)
    faculty = deployment["group"].faculty_id
    desktop.goto(f"{live_server.url}{reverse('staffing:faculty_grid', args=[faculty])}")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Support by faculty: English")
    assert_accessible(desktop)
