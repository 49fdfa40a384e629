"""The pupil record in a real browser: a SENDCo runs a term's Assess-Plan-Do-Review cycle
at a desk, a teacher reads a passport on a classroom tablet, and axe-core checks the pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import Role
from students.models import SenStatus, StaffPupilLink, SupportPlan, TargetOutcome
from students.services import ehcp as ehcp_services
from students.services import plans as plan_services
from tests.browser.axe import assert_accessible
from tests.staffing.factories import TEST_PASSWORD
from tests.students.factories import LinkFactory, NeedFactory, PassportFactory, PupilFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_PATH = "/accounts/login/"
MET = "Use a help card to ask for help in 4 of 5 lessons"
UNMET = "Follow a two-step spoken instruction without a visual prompt"


def sign_in(page, live_server, member, *, touch=False):
    """Sign in through the real allauth page; tap on a tablet, click at a desk."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.locator("input[name=login]").fill(member.user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    button = page.get_by_role("button", name="Sign in")
    if touch:
        button.tap()
    else:
        button.click()
    expect(page).to_have_url(f"{live_server.url}/")


def open_register(page, *, touch=False):
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="SEND register")
    if touch:
        link.tap()
    else:
        link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SEND register")


def tab(page, name):
    return page.locator(".nav-tabs").get_by_role("link", name=name, exact=True)


def fill_target(group, *, area, description, strategies, success_criteria):
    group.get_by_label("Area of need").select_option(label=area)
    group.get_by_role("textbox", name=re.compile(r"^Target\*?$")).fill(description)
    group.get_by_label("Strategies").fill(strategies)
    group.get_by_label("Success criteria").fill(success_criteria)


def record_outcome(page, number, outcome, comment):
    group = page.get_by_role("group", name=re.compile(rf"^Target {number} "))
    group.get_by_role("radio", name=outcome, exact=True).check()
    group.get_by_label("Comment").fill(comment)


def test_sendco_runs_a_term_of_assess_plan_do_review(desktop, live_server, staff, pupil):
    page = desktop
    sendco = staff[Role.SENDCO]
    PupilFactory(school=pupil.school, first_name="Sam", last_name="Brown")
    today = timezone.localdate()
    started = today - datetime.timedelta(days=60)

    sign_in(page, live_server, sendco)
    open_register(page)
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Name or UPN").fill("okafor")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]q=okafor"))
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Okafor, Maya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(tab(page, "Overview")).to_have_attribute("aria-current", "page")

    # Plan: draft a plan with two targets, the second added with "Add another target".
    tab(page, "Plans").click()
    expect(page.get_by_text("No plans yet.")).to_be_visible()
    page.get_by_role("link", name="Draft a new plan").click()
    expect(page.get_by_role("heading", name="Draft a SEN support plan")).to_be_visible()
    page.get_by_label("Start date").fill(started.isoformat())
    page.get_by_label("Review date").fill(today.isoformat())
    page.get_by_label("Assess: what we know").fill("Speech sound disorder; NHS SaLT report.")
    targets = page.locator("#targets-forms > fieldset")
    blank_rows = targets.count()
    fill_target(
        page.get_by_role("group", name="Target 1", exact=True),
        area="Communication and interaction",
        description=MET,
        strategies="Help card on the desk; adult checks in after five minutes",
        success_criteria="Seen in 4 of 5 lessons",
    )
    page.get_by_role("button", name="Add another target").click()
    expect(targets).to_have_count(blank_rows + 1)
    added = targets.last
    expect(added.get_by_label("Area of need")).to_be_focused()
    expect(added.locator("legend")).to_have_text(f"Target {blank_rows + 1}")
    assert_accessible(page)  # the row the script added, too
    fill_target(
        added,
        area="Communication and interaction",
        description=UNMET,
        strategies="Instructions chunked and repeated back",
        success_criteria="Follows 8 of 10 two-step instructions",
    )
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status")).to_contain_text("Plan saved as a draft.")
    expect(page.get_by_role("heading", level=2)).to_have_text("SEN support plan — cycle 1")
    expect(page.locator(".badge.fs-6")).to_have_text("Draft")
    expect(page.locator("#targets-h ~ article")).to_have_count(2)

    # Do: the SENDCo approves the plan and it becomes the active one.
    page.get_by_role("button", name="Approve: make active").click()
    expect(page.get_by_role("status")).to_contain_text("Approved: the plan is active.")
    expect(page.locator(".badge.fs-6")).to_have_text("Active")
    expect(page.get_by_role("button", name="Approve: make active")).to_have_count(0)

    # Review: an outcome for each target, the pupil's voice and next steps.
    page.get_by_role("link", name="Record the review").click()
    expect(page.get_by_role("heading", name="Review of plan cycle 1")).to_be_visible()
    page.get_by_label("Review date").fill(today.isoformat())
    record_outcome(page, 1, "Achieved", "Uses the card without prompting.")
    record_outcome(page, 2, "Not achieved", "Still needs the visual prompt.")
    page.get_by_label("Pupil voice").fill("The card helps me. Long instructions are hard.")
    page.get_by_label("Next steps").fill("Keep SaLT programme; add a visual checklist.")
    page.get_by_role("button", name="Record review").click()

    expect(page.get_by_role("status")).to_contain_text("Review recorded.")
    expect(page.locator(".badge.fs-6")).to_have_text("Reviewed")
    review = page.get_by_role("region", name=re.compile("^Review on"))
    expect(review).to_contain_text("The card helps me.")

    # Next cycle: a new draft carrying forward only the target not yet achieved.
    page.get_by_role("link", name="Start next cycle").click()
    expect(page.get_by_role("heading", name="Start the next cycle")).to_be_visible()
    page.get_by_role("button", name="Start next cycle").click()

    expect(page.get_by_role("status")).to_contain_text("Next cycle drafted")
    expect(page.get_by_role("heading", level=2)).to_have_text("SEN support plan — cycle 2")
    expect(page.locator(".badge.fs-6")).to_have_text("Draft")
    carried = page.locator("#targets-h ~ article")
    expect(carried).to_have_count(1)
    expect(carried).to_contain_text(UNMET)
    expect(carried).to_contain_text("carried forward")
    expect(page.get_by_text(MET)).to_have_count(0)
    expect(page.get_by_role("region", name="Assess")).to_contain_text("add a visual checklist")

    # The earlier plan is still there, closed, with its outcomes and review.
    expect(page.get_by_role("link", name="Cycle 1")).to_be_visible()  # "Previous cycle"
    tab(page, "Plans").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Cycle 2")
    expect(rows.nth(0)).to_contain_text("Draft")
    expect(rows.nth(1)).to_contain_text("Cycle 1")
    expect(rows.nth(1)).to_contain_text("Closed")
    rows.nth(1).get_by_role("link", name="Cycle 1").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("SEN support plan — cycle 1")
    expect(page.locator(".badge.fs-6")).to_have_text("Closed")
    outcomes = page.locator("#targets-h ~ article")
    expect(outcomes.nth(0)).to_contain_text(MET)
    expect(outcomes.nth(0)).to_contain_text("Achieved — Uses the card without prompting.")
    expect(outcomes.nth(1)).to_contain_text(UNMET)
    expect(outcomes.nth(1)).to_contain_text("Not achieved — Still needs the visual prompt.")
    expect(page.get_by_role("region", name=re.compile("^Review on"))).to_contain_text(
        "Long instructions are hard."
    )

    plans = SupportPlan.objects.filter(pupil=pupil).order_by("cycle")
    assert [(p.cycle, p.status) for p in plans] == [
        (1, SupportPlan.Status.CLOSED),
        (2, SupportPlan.Status.DRAFT),
    ]
    first, second = plans
    assert first.review.reviewed_on == today
    assert [t.outcome.outcome for t in first.targets.all()] == [
        TargetOutcome.Outcome.ACHIEVED,
        TargetOutcome.Outcome.NOT_ACHIEVED,
    ]
    assert second.previous == first
    assert [(t.description, t.carried_from.plan_id) for t in second.targets.all()] == [
        (UNMET, first.pk)
    ]


def test_teacher_opens_the_passport_on_a_tablet_and_prints_it(tablet, live_server, staff, pupil):
    page = tablet
    teacher = staff[Role.TEACHER]
    LinkFactory(pupil=pupil, staff=teacher, source=StaffPupilLink.Source.CLASS)

    sign_in(page, live_server, teacher, touch=True)
    open_register(page, touch=True)
    page.get_by_role("link", name="Okafor, Maya").tap()

    expect(page).to_have_url(f"{live_server.url}{reverse('students:passport', args=[pupil.pk])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(page.get_by_role("heading", name="What helps me")).to_be_visible()
    expect(page.get_by_text("a visual timetable")).to_be_visible()
    expect(tab(page, "Passport")).to_have_attribute("aria-current", "page")
    for hidden in ("Overview", "Plans", "EHC plan", "History"):
        expect(tab(page, hidden)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit passport")).to_have_count(0)
    assert_accessible(page)

    href = page.get_by_role("link", name="Print (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    plans = page.goto(f"{live_server.url}{reverse('students:plans', args=[pupil.pk])}")
    assert plans.status == 403


def test_a_plan_saves_with_a_blank_added_target_left_untouched(desktop, live_server, staff, pupil):
    page = desktop
    today = timezone.localdate()
    sign_in(page, live_server, staff[Role.SENDCO])
    page.goto(f"{live_server.url}{reverse('students:plan_create', args=[pupil.pk])}")
    page.get_by_label("Start date").fill((today - datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Review date").fill(today.isoformat())
    fill_target(
        page.get_by_role("group", name="Target 1", exact=True),
        area="Communication and interaction",
        description=MET,
        strategies="Help card",
        success_criteria="4 of 5 lessons",
    )
    page.get_by_role("button", name="Add another target").click()  # and leave it blank
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("This field is required.").count() == 0
    expect(page.get_by_role("status")).to_contain_text("Plan saved as a draft.")


@pytest.fixture
def record(staff, pupil):
    """Maya with a closed, reviewed first plan and an active second plan; Leo with an EHC plan
    with Section E outcomes, progress and an annual review."""
    sendco = staff[Role.SENDCO]
    today = timezone.localdate()
    targets = [
        plan_services.TargetInput(area="CI", description=MET, strategies="Help card"),
        plan_services.TargetInput(area="CI", description=UNMET, success_criteria="8 of 10"),
    ]
    first = plan_services.plan_create(
        pupil=pupil,
        actor=sendco,
        start_date=today - datetime.timedelta(days=120),
        review_date=today - datetime.timedelta(days=60),
        assessment="Speech sound disorder.",
        targets=targets,
    )
    plan_services.plan_approve(plan=first, actor=sendco)
    plan_services.plan_review_record(
        plan=first,
        actor=sendco,
        reviewed_on=today - datetime.timedelta(days=60),
        outcomes=[
            plan_services.OutcomeInput(target_id=target.pk, outcome=outcome, comment="Seen.")
            for target, outcome in zip(first.targets.all(), ["ACHIEVED", "NOT"], strict=True)
        ],
        pupil_voice="The card helps me.",
        next_steps="Add a visual checklist.",
    )
    second = plan_services.plan_start_next_cycle(
        plan=first,
        actor=sendco,
        start_date=today - datetime.timedelta(days=60),
        review_date=today + datetime.timedelta(days=30),
    )
    plan_services.plan_approve(plan=second, actor=sendco)

    leo = PupilFactory(
        school=pupil.school, first_name="Leo", last_name="Adeyemi", sen_status=SenStatus.SUPPORT
    )
    NeedFactory(pupil=leo, code="ASD")
    PassportFactory(pupil=leo)
    ehcp = ehcp_services.ehcp_save(
        pupil=leo,
        actor=sendco,
        date_issued=today - datetime.timedelta(days=300),
        local_authority="Northshire County Council",
        primary_need="ASD",
        provision_summary="15 hours of 1:1 support a week.",
        funded_hours_per_week=15,
        outcomes=[
            ehcp_services.EhcpOutcomeInput(area="CI", description="Takes part in group work."),
            ehcp_services.EhcpOutcomeInput(area="SEMH", description="Names and manages worry."),
        ],
    )
    ehcp_services.ehcp_progress_record(
        outcome=ehcp.outcomes.first(),
        actor=sendco,
        recorded_on=today,
        term="Autumn",
        rating="SOME",
        note="Joins in with one peer.",
    )
    ehcp_services.ehcp_review_record(
        ehcp=ehcp,
        actor=sendco,
        meeting_date=today - datetime.timedelta(days=10),
        attendees="Parent, SENDCo, educational psychologist",
        recommendations="Continue the provision.",
    )
    return {"pupil": pupil, "first": first, "second": second, "leo": leo}


PAGES = {
    "register": lambda r: reverse("students:register"),
    "overview": lambda r: reverse("students:pupil", args=[r["pupil"].pk]),
    "passport": lambda r: reverse("students:passport", args=[r["pupil"].pk]),
    "plan form": lambda r: reverse("students:plan_create", args=[r["leo"].pk]),
    "plan detail (reviewed)": lambda r: reverse("students:plan", args=[r["first"].pk]),
    "plan detail (active)": lambda r: reverse("students:plan", args=[r["second"].pk]),
    "review form": lambda r: reverse("students:plan_review", args=[r["second"].pk]),
    "EHC plan": lambda r: reverse("students:ehcp", args=[r["leo"].pk]),
}


@pytest.mark.parametrize("name", PAGES)
def test_pupil_record_pages_are_accessible(desktop, live_server, staff, record, name):
    sign_in(desktop, live_server, staff[Role.SENDCO])
    response = desktop.goto(f"{live_server.url}{PAGES[name](record)}")
    assert response.status == 200
    assert_accessible(desktop)
