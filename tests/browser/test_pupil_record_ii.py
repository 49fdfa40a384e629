"""The restricted and exam parts of the pupil record in a real browser: a 1:1 assistant
records a dose on a classroom tablet, the SENDCo approves an exam access arrangement and
reads the access log at a desk, and axe-core checks the pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import Role
from students.models import (
    AccessArrangement,
    HealthcarePlan,
    Medication,
    MedicationDose,
    RestrictedAccess,
)
from students.services import arrangements as arrangement_services
from students.services import health as health_services
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import open_register, sign_in, tab
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.students.factories import LinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDICINE = "Buccal midazolam"
DATETIME_LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")


@pytest.fixture
def medication(school_a, pupil):
    """Maya's healthcare plan requires medication training; her rescue medicine may be given
    at most twice a day, four hours apart."""
    training = TrainingTypeFactory(school=school_a, name="Medication administration")
    plan = HealthcarePlan.objects.create(
        school=school_a,
        pupil=pupil,
        conditions="Epilepsy",
        symptoms="Tonic-clonic seizure lasting over five minutes",
        emergency_procedure="Give buccal midazolam; call 999 if the seizure continues.",
        contacts="Mum: 07700 900123",
        review_date=timezone.localdate() + datetime.timedelta(days=120),
    )
    plan.required_trainings.set([training])
    med = Medication.objects.create(
        school=school_a,
        pupil=pupil,
        name=MEDICINE,
        dose="5 mg",
        route=Medication.Route.BUCCAL,
        as_needed=True,
        max_doses_per_day=2,
        min_interval_minutes=240,
        stock=3,
        low_stock_at=2,
        supply_expires=timezone.localdate() + datetime.timedelta(days=200),
        instructions="Into the buccal cavity between cheek and gum.",
    )
    med.training = training
    return med


@pytest.fixture
def trained_one_to_one(staff, pupil, medication):
    """The 1:1 assistant linked to Maya, with current medication training."""
    member = staff[Role.ONE_TO_ONE]
    LinkFactory(pupil=pupil, staff=member)
    TrainingRecordFactory(
        staff=member,
        training_type=medication.training,
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return member


def medication_card(page, name=MEDICINE):
    return page.locator("article").filter(has=page.get_by_role("heading", name=re.compile(name)))


def record_dose(card, outcome="Given"):
    """Tap the big outcome button, then "Record", as on the classroom tablet."""
    card.locator("label").filter(has_text=re.compile(rf"^{outcome}$")).tap()
    expect(card.get_by_role("radio", name=outcome, exact=True)).to_be_checked()
    expect(card.get_by_label("Time")).to_have_value(DATETIME_LOCAL)
    card.get_by_role("button", name="Record", exact=True).tap()


def test_one_to_one_records_a_dose_on_a_tablet_and_the_sendco_sees_the_read(
    tablet, desktop, live_server, staff, pupil, medication, trained_one_to_one
):
    page = tablet
    sign_in(page, live_server, trained_one_to_one, touch=True)
    open_register(page, touch=True)
    page.get_by_role("link", name="Okafor, Maya").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    tab(page, "Health").tap()
    expect(tab(page, "Health")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Healthcare plan")).to_be_visible()
    expect(page.get_by_text("Give buccal midazolam; call 999")).to_be_visible()

    card = medication_card(page)
    expect(card).to_have_count(1)
    # The time is pre-filled with the current minute (the server's local time).
    shown = datetime.datetime.fromisoformat(card.get_by_label("Time").input_value())
    now = timezone.localtime().replace(tzinfo=None)
    assert abs(now - shown) < datetime.timedelta(minutes=2)
    record_dose(card, "Given")

    status = page.get_by_role("status")
    expect(status).to_contain_text(re.compile(rf"{MEDICINE}: given at \d\d:\d\d\."))
    card = medication_card(page)
    assistant = trained_one_to_one.user.full_name
    expect(card.locator("li")).to_have_count(1)
    expect(card.locator("li")).to_contain_text(f"Given, 5 mg, by {assistant}")
    expect(card).to_contain_text("Low stock: 2 left")
    assert_accessible(page)  # with the confirmation shown

    # A second dose straight away is refused, and the page says why.
    record_dose(card, "Given")
    expect(status).to_contain_text("The dose was not recorded. Too soon: a dose was given at")
    expect(status).to_contain_text("The next may be given from")
    expect(medication_card(page).locator("li")).to_have_count(1)
    assert_accessible(page)  # with the refusal shown

    doses = list(MedicationDose.objects.all())
    assert [(d.outcome, d.given_by_id) for d in doses] == [
        (MedicationDose.Outcome.GIVEN, trained_one_to_one.pk)
    ]
    medication.refresh_from_db()
    assert medication.stock == 2

    # The SENDCo, at a desk, finds the assistant in the pupil's access log.
    sendco = staff[Role.SENDCO]
    sign_in(desktop, live_server, sendco)
    desktop.goto(f"{live_server.url}{reverse('students:pupil', args=[pupil.pk])}")
    tab(desktop, "Access log").click()
    expect(tab(desktop, "Access log")).to_have_attribute("aria-current", "page")
    heading = desktop.get_by_role("heading", name="Who opened the restricted sections")
    expect(heading).to_be_visible()
    reads = desktop.locator("tbody tr").filter(has_text=assistant)
    expect(reads.first).to_contain_text("Health")
    # Three opens of the Health tab: on arriving, and after each of the two attempts.
    expect(reads).to_have_count(3)
    assert RestrictedAccess.objects.filter(user=trained_one_to_one.user).count() == 3


def test_sendco_adds_and_approves_an_arrangement_then_finds_it_under_exams(
    desktop, live_server, staff, pupil
):
    page = desktop
    sendco = staff[Role.SENDCO]
    today = timezone.localdate()
    sign_in(page, live_server, sendco)
    page.goto(f"{live_server.url}{reverse('students:pupil', args=[pupil.pk])}")
    tab(page, "Exam arrangements").click()
    expect(page.get_by_role("heading", name="Exam access arrangements")).to_be_visible()
    expect(page.get_by_text("No access arrangements recorded.")).to_be_visible()

    page.get_by_label("Arrangement").select_option(label="Extra time (25%)")
    page.get_by_label("Assessor").fill("Specialist assessor (Form 8)")
    page.get_by_label("Evidence date").fill((today - datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Normal way of working").fill("Finishes class tests with extra time.")
    page.get_by_label("Review date").fill((today + datetime.timedelta(days=300)).isoformat())
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Access arrangement recorded.")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Extra time (25%)")
    expect(rows).to_contain_text("Not yet approved")

    page.get_by_role("button", name="Approve Extra time (25%)").click()
    expect(page.get_by_role("status")).to_contain_text("Approved.")
    expect(rows).to_contain_text(f"by {sendco.user.full_name}")
    expect(rows).not_to_contain_text("Not yet approved")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Exams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exam access arrangements")
    page.get_by_label("Arrangement").select_option(label="Extra time (25%)")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]arrangement=EXTRA_TIME_25"))
    candidates = page.locator("tbody tr")
    expect(candidates).to_have_count(1)
    expect(candidates.locator("td").nth(0)).to_have_text("Extra time (25%)")
    expect(candidates.get_by_role("link", name="Okafor, Maya")).to_be_visible()
    expect(candidates).not_to_contain_text("Not yet approved")

    arrangement = AccessArrangement.objects.get()
    assert (arrangement.pupil, arrangement.approved_by, arrangement.approved_on) == (
        pupil,
        sendco,
        today,
    )


@pytest.fixture
def record(staff, pupil, medication, trained_one_to_one):
    """Maya with an approved exam arrangement, a healthcare plan, a medicine given, refused
    and witnessed recently, and reads in her access log."""
    sendco = staff[Role.SENDCO]
    today = timezone.localdate()
    arrangement = arrangement_services.access_arrangement_save(
        pupil=pupil,
        actor=sendco,
        arrangement="EXTRA_TIME_25",
        assessor="Specialist assessor",
        evidence_date=today - datetime.timedelta(days=30),
        review_date=today + datetime.timedelta(days=300),
        normal_way_of_working="Finishes class tests with extra time.",
    )
    arrangement_services.access_arrangement_approve(arrangement=arrangement, actor=sendco)
    now = timezone.now()
    for hours_ago, outcome, reason, witness in [
        (30, "GIVEN", "", staff[Role.HLTA]),
        (6, "REFUSED", "Pupil said no", None),
        (5, "GIVEN", "", None),
    ]:
        health_services.medication_dose_record(
            medication=medication,
            actor=trained_one_to_one,
            outcome=outcome,
            given_at=now - datetime.timedelta(hours=hours_ago),
            reason=reason,
            witnessed_by=witness,
        )
    for section in ("health", "medication log"):
        health_services.restricted_read_record(
            actor=trained_one_to_one, pupil=pupil, section=section
        )
    return {"pupil": pupil, "medication": medication}


PAGES = {
    "arrangements": lambda r: reverse("students:arrangements", args=[r["pupil"].pk]),
    "exams list": lambda r: reverse("students:exam_arrangements"),
    "health": lambda r: reverse("students:health", args=[r["pupil"].pk]),
    "medication log": lambda r: reverse(
        "students:medication_log", args=[r["pupil"].pk, r["medication"].pk]
    ),
    "access log": lambda r: reverse("students:access_log", args=[r["pupil"].pk]),
    "healthcare plan form": lambda r: reverse("students:health_plan", args=[r["pupil"].pk]),
    "medication form": lambda r: reverse("students:medication_add", args=[r["pupil"].pk]),
}


@pytest.mark.parametrize("name", PAGES)
def test_restricted_and_exam_pages_are_accessible(desktop, live_server, staff, record, name):
    sign_in(desktop, live_server, staff[Role.SENDCO])
    response = desktop.goto(f"{live_server.url}{PAGES[name](record)}")
    assert response.status == 200
    if name == "health":
        expect(medication_card(desktop).locator("li")).to_have_count(3)
    assert_accessible(desktop)
