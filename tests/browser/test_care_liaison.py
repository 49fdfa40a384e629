"""Personal care, liaison and case studies in a real browser: a 1:1 assistant logs care in
a few taps on a tablet; the SENDCo logs a call with an action that lands on the HLTA's
list, who ticks it off; an HLTA writes a case study with the formatting toolbar; axe-core
checks every page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import Role
from students.models import (
    Agency,
    CareLogEntry,
    CarePlan,
    CaseStudy,
    LiaisonAction,
    LiaisonEntry,
    PupilContact,
)
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import sign_in, tab
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.students.factories import LinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def care(school_a, pupil, staff):
    training = TrainingTypeFactory(school=school_a, name="Personal care and hygiene")
    plan = CarePlan.objects.create(
        school=school_a,
        pupil=pupil,
        toileting="Needs help with changing after lunch.",
        hygiene="Prompt to wash hands.",
        equipment="Changing bench",
        staff_needed=1,
    )
    plan.required_trainings.set([training])
    member = staff[Role.ONE_TO_ONE]
    LinkFactory(pupil=pupil, staff=member)
    TrainingRecordFactory(
        staff=member,
        training_type=training,
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    return member


def test_one_to_one_logs_care_in_a_few_taps(tablet, live_server, pupil, care):
    page = tablet
    sign_in(page, live_server, care, touch=True)
    page.goto(f"{live_server.url}{reverse('students:pupil', args=[pupil.pk])}")
    tab(page, "Personal care").tap()
    expect(
        page.get_by_role("heading", name="Personal care and moving & handling plan")
    ).to_be_visible()
    expect(page.get_by_text("Needs help with changing after lunch.")).to_be_visible()
    page.locator("label").filter(has_text=re.compile("^Toileting$")).tap()
    expect(page.get_by_role("radio", name="Toileting")).to_be_checked()
    page.get_by_label("Note (optional)").fill("All fine")
    page.get_by_role("button", name="Log care").tap()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Toileting logged at \d\d:\d\d"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("All fine")
    assert_accessible(page)
    entry = CareLogEntry.objects.get()
    assert (entry.need, entry.given_by_id) == ("TOILETING", care.pk)


def test_sendco_logs_a_call_and_the_hlta_ticks_off_the_action(
    desktop, browser, live_server, staff, pupil
):
    PupilContact.objects.create(
        school=pupil.school, pupil=pupil, name="Grace Okafor", relationship="Mother"
    )
    Agency.objects.create(school=pupil.school, name="County EP service", kind="EP")
    hlta = staff[Role.HLTA]
    page = desktop
    sign_in(page, live_server, staff[Role.SENDCO])
    page.goto(f"{live_server.url}{reverse('students:liaison', args=[pupil.pk])}")
    expect(page.get_by_text("Grace Okafor", exact=True)).to_be_visible()
    page.get_by_text("Log a conversation").click()  # the form folds away above the log
    page.get_by_label("How", exact=False).and_(page.locator("select")).select_option(
        label="Phone call"
    )
    page.get_by_label("Parent or carer").select_option(label="Grace Okafor (Mother)")
    page.get_by_role("textbox", name=re.compile("^Summary")).fill(
        "Agreed a home-school book for the spring term."
    )
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("Follow-up action").fill("Start the home-school book")
    action.get_by_label("Owner").select_option(
        label=f"{hlta.user.full_name} ({hlta.get_role_display()})"
    )
    due = timezone.localdate() + datetime.timedelta(days=5)
    action.get_by_label("Due").fill(due.isoformat())
    page.get_by_role("button", name="Log liaison").click()
    expect(page.get_by_role("status")).to_contain_text("Liaison logged.")
    expect(page.locator("article")).to_contain_text("Phone call with Grace Okafor (Mother)")
    expect(page.locator("article")).to_contain_text("Open")
    assert_accessible(page)

    context = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True)
    tablet = context.new_page()
    sign_in(tablet, live_server, hlta, touch=True)
    tablet.get_by_role("navigation", name="Main").get_by_role("link", name="My actions").tap()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("My actions")
    row = tablet.locator("tbody tr")
    expect(row).to_contain_text("Start the home-school book")
    assert_accessible(tablet)
    tablet.get_by_role("button", name=re.compile("^Mark done")).tap()
    expect(tablet.get_by_text("Nothing to follow up.")).to_be_visible()
    context.close()
    assert LiaisonAction.objects.get().done_by == hlta
    assert LiaisonEntry.objects.get().pupil == pupil


def test_hlta_writes_a_case_study_with_the_toolbar_and_the_sendco_agrees(
    desktop, browser, live_server, staff, pupil
):
    hlta = staff[Role.HLTA]
    LinkFactory(pupil=pupil, staff=hlta)
    page = desktop
    sign_in(page, live_server, hlta)
    page.goto(f"{live_server.url}{reverse('students:case_studies', args=[pupil.pk])}")
    page.get_by_role("link", name="Write a case study").click()
    page.get_by_label("Title").fill("Maya's spring term")
    editor = page.get_by_role("textbox", name="Case study")
    editor.click()
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("Reading age up 9 months")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Case study saved.")
    # Chromium's bold command writes <b>; the sanitiser keeps it.
    expect(page.locator(".case-study-body b")).to_have_text("Reading age up 9 months")
    expect(page.get_by_text("Awaiting the SENDCo")).to_be_visible()
    assert_accessible(page)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sendco_page = context.new_page()
    sign_in(sendco_page, live_server, staff[Role.SENDCO])
    study = CaseStudy.objects.get()
    sendco_page.goto(
        f"{live_server.url}{reverse('students:case_study', args=[pupil.pk, study.pk])}"
    )
    sendco_page.get_by_role("button", name="Agree this case study").click()
    expect(sendco_page.get_by_role("status")).to_contain_text("You agreed")
    context.close()
    study.refresh_from_db()
    assert study.agreed_by == staff[Role.SENDCO]
    assert "<b>Reading age up 9 months</b>" in study.body


PAGES = {
    "care plan form": lambda p: reverse("students:care_plan", args=[p.pk]),
    "agencies": lambda p: reverse("students:agencies"),
    "agency form": lambda p: reverse("students:agency_add"),
    "case studies": lambda p: reverse("students:case_studies", args=[p.pk]),
}


@pytest.mark.parametrize("name", PAGES)
def test_care_liaison_pages_are_accessible(desktop, live_server, staff, pupil, name):
    sign_in(desktop, live_server, staff[Role.SENDCO])
    response = desktop.goto(f"{live_server.url}{PAGES[name](pupil)}")
    assert response.status == 200
    assert_accessible(desktop)
