"""The behaviour and regulation log in a real browser: a 1:1 assistant logs an incident with
the big buttons on a classroom tablet well inside a minute and sees it listed, the pattern
view draws its charts from the figures in its tables, and axe-core checks the pages."""

import datetime
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import Role
from students.models import BehaviourIncident, RestrictedAccess
from students.services.behaviour import behaviour_incident_record
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import open_register, sign_in, tab
from tests.students.factories import LinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DETAILS = "Details of the physical intervention"
WHAT_HAPPENED = re.compile(r"^What happened\*?$")  # crispy marks required fields with *


@pytest.fixture
def assistant(staff, pupil):
    """Maya's 1:1 assistant; her passport lists the strategies that help her regulate."""
    pupil.passport.regulation_strategies = "Squeeze ball\nWalk to the library"
    pupil.passport.save()
    member = staff[Role.ONE_TO_ONE]
    LinkFactory(pupil=pupil, staff=member)
    return member


@pytest.fixture
def history(pupil, assistant):
    """A fortnight of incidents: Monday mornings in lessons, a lunchtime peer conflict."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    for days, hour, setting, trigger, strategy, helped, intensity in [
        (0, 9, "LESSON", "DEMAND", "Movement break", "YES", 2),
        (0, 9, "LESSON", "DEMAND", "Squeeze ball", "PARTLY", 3),
        (2, 12, "LUNCH", "PEER", "Quiet space", "NO", 4),
        (7, 9, "LESSON", "DEMAND", "Movement break", "YES", 2),
    ]:
        when = datetime.datetime.combine(
            monday + datetime.timedelta(days=days), datetime.time(hour, 20)
        )
        if timezone.make_aware(when) > timezone.now():
            continue  # early on a Monday morning, this week's incident has not happened yet
        behaviour_incident_record(
            pupil=pupil,
            actor=assistant,
            occurred_at=timezone.make_aware(when),
            setting=setting,
            trigger=trigger,
            behaviour="Refused the task and left the classroom.",
            strategy=strategy,
            strategy_helped=helped,
            intensity=intensity,
        )


def choose(page, group, label):
    """Tap a big button in a radio group and check it took."""
    fieldset = page.get_by_role("group", name=re.compile(rf"^{re.escape(group)}"))
    fieldset.locator("label").filter(has_text=re.compile(rf"^{re.escape(label)}$")).tap()
    expect(fieldset.get_by_role("radio", name=label, exact=True)).to_be_checked()


def test_assistant_logs_an_incident_on_a_tablet_in_well_under_a_minute(
    tablet, live_server, pupil, assistant
):
    page = tablet
    sign_in(page, live_server, assistant, touch=True)
    open_register(page, touch=True)
    page.get_by_role("link", name="Okafor, Maya").tap()
    tab(page, "Behaviour").tap()
    expect(tab(page, "Behaviour")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    expect(page.get_by_text("No incidents logged for Maya.")).to_be_visible()
    # The time is already now; the physical intervention details wait until they are needed.
    shown = datetime.datetime.fromisoformat(page.get_by_label("When").input_value())
    assert abs(timezone.localtime().replace(tzinfo=None) - shown) < datetime.timedelta(minutes=2)
    details = page.get_by_label(DETAILS)
    expect(details).to_be_hidden()
    big = page.locator("label[for=id_intensity_2]").bounding_box()
    assert min(big["height"], big["width"]) >= 44, big  # WCAG 2.5.5 target size

    started = time.monotonic()
    choose(page, "Where", "In a lesson")
    page.get_by_label("Lesson or place").fill("Year 8 science")
    choose(page, "Trigger", "Noise or sensory overload")
    page.get_by_role("textbox", name=WHAT_HAPPENED).fill("Covered ears, shouted, ran out.")
    choose(page, "Intensity", "4 High")
    page.get_by_label("Strategy used").select_option(label="From the passport: Squeeze ball")
    choose(page, "Did the strategy help?", "Helped")
    page.locator("label[for=id_physical_intervention]").tap()
    expect(details).to_be_visible()
    expect(details).to_be_focused()
    # Logged without the details first: refused next to the field, with everything kept.
    page.get_by_role("button", name="Log incident").tap()
    expect(page.get_by_role("alert")).to_contain_text("The incident was not logged")
    expect(page.get_by_label(DETAILS)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_text("Physical intervention was used: describe the hold")).to_be_visible()
    what_happened = page.get_by_role("textbox", name=WHAT_HAPPENED)
    expect(what_happened).to_have_value("Covered ears, shouted, ran out.")
    assert not BehaviourIncident.objects.exists()
    assert_accessible(page)  # with the errors shown

    page.get_by_label(DETAILS).fill("Guided by the elbow to the quiet room, 1 min; mum phoned.")
    page.get_by_role("button", name="Log incident").tap()
    expect(page.get_by_role("status")).to_contain_text("Incident logged for")
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"logging took {elapsed:.1f} s"

    incident = page.locator("article").first
    expect(incident.get_by_role("heading")).to_contain_text("In a lesson (Year 8 science)")
    expect(incident).to_contain_text("Noise or sensory overload")
    expect(incident).to_contain_text("Squeeze ball — helped")
    expect(incident).to_contain_text("Intensity 4 of 5")
    expect(incident).to_contain_text("Physical intervention")
    expect(page.get_by_label(DETAILS)).to_be_hidden()  # a fresh form for the next one
    saved = BehaviourIncident.objects.get()
    assert (saved.pupil, saved.recorded_by, saved.trigger, saved.intensity) == (
        pupil,
        assistant,
        "SENSORY",
        4,
    )
    assert saved.physical_intervention_details.startswith("Guided by the elbow")
    assert_accessible(page)  # with the confirmation and the incident shown
    assert RestrictedAccess.objects.filter(user=assistant.user, section="behaviour").count() == 3


def test_pattern_view_draws_charts_with_tables_of_the_same_figures(
    tablet, live_server, pupil, assistant, history
):
    page = tablet
    sign_in(page, live_server, assistant, touch=True)
    page.goto(f"{live_server.url}{reverse('students:behaviour', args=[pupil.pk])}")
    page.get_by_role("navigation", name="Behaviour and regulation").get_by_role(
        "link", name="Patterns"
    ).tap()
    expect(page.get_by_role("heading", name="Patterns: this term (90 days)")).to_be_visible()
    page.get_by_role("navigation", name="Period").get_by_role("link", name="Last 30 days").tap()
    expect(page).to_have_url(re.compile(r"[?&]period=30"))
    total = BehaviourIncident.objects.count()
    expect(page.locator("#total-incidents")).to_have_text(str(total))
    rows = page.locator("#heatmap tbody tr")
    monday = rows.filter(has=page.get_by_role("rowheader", name="Monday"))
    expect(monday.locator("td").nth(2)).to_have_text(str(total - 1))  # the 9:00 column
    expect(page.locator("#by-trigger tbody tr").first).to_contain_text("Task or demand placed")
    for chart in ("trigger-chart", "strategy-chart"):
        drawn = page.evaluate("(id) => Boolean(window.Chart && Chart.getChart(id))", chart)
        assert drawn, chart
    bars = page.evaluate("() => Chart.getChart('trigger-chart').data.datasets[0].data")
    assert bars == [total - 1, 1]
    assert_accessible(page)


PAGES = {
    "log": lambda pupil, incident: reverse("students:behaviour", args=[pupil.pk]),
    "patterns": lambda pupil, incident: reverse("students:behaviour_patterns", args=[pupil.pk]),
    "correction": lambda pupil, incident: reverse(
        "students:behaviour_correct", args=[pupil.pk, incident.pk]
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_behaviour_pages_are_accessible_at_a_desk(
    desktop, live_server, staff, pupil, assistant, history, name
):
    incident = BehaviourIncident.objects.first()
    sign_in(desktop, live_server, staff[Role.SENDCO])
    response = desktop.goto(f"{live_server.url}{PAGES[name](pupil, incident)}?period=all")
    assert response.status == 200
    assert_accessible(desktop)
