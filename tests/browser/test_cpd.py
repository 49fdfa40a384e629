"""CPD in a real browser: an HLTA publishes a resource and runs a session with register and
feedback, a teacher downloads the resource on a tablet, the SENDCo keeps the training matrix,
and axe-core checks every CPD page."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpd import services as cpd_services
from cpd.models import CpdAttendance, CpdEvent, Resource, ResourceFile, TrainingRecord
from staffing.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_pupil_record import sign_in
from tests.cpd.factories import (
    EventFactory,
    SpecialismFactory,
    TrainingRecordFactory,
    TrainingTypeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A minimal PDF: puremagic identifies it by its "%PDF" header.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Now/next boards: a guide"
NAMES = {
    Role.SENDCO: ("Priya", "Shah"),
    Role.HLTA: ("Hana", "Lee"),
    Role.FLS: ("Femi", "Adams"),
    Role.TEACHER: ("Tom", "Reid"),
    Role.DATA_MANAGER: ("Dev", "Mistry"),
    Role.PSO: ("Nia", "Okoro"),
    Role.ONE_TO_ONE: ("Omar", "Farah"),
    Role.SLT: ("Sara", "Quinn"),
    Role.TRUST_LEAD: ("Tara", "Lewis"),
}


@pytest.fixture
def people(staff):
    """The ``staff`` fixture (one per role), with names the pages can be searched for."""
    for role, (first, last) in NAMES.items():
        user = staff[role].user
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return staff


def starts_with(text: str) -> re.Pattern:
    # Playwright passes the pattern's source to the page: an unescaped "/" ends it there.
    return re.compile("^" + re.escape(text).replace("/", r"\/"))


def main_nav(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def h1(page):
    return page.get_by_role("heading", level=1)


def local_input(moment: datetime.datetime) -> str:
    """The value a ``datetime-local`` input takes, in the school's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- 1. the resource bank --------------------------------------------------------------


def test_hlta_publishes_a_file_and_a_teacher_downloads_it(
    desktop, tablet, live_server, people, tmp_path
):
    hlta, teacher = people[Role.HLTA], people[Role.TEACHER]
    guide = tmp_path / "now-next-board-guide.pdf"
    guide.write_bytes(PDF)

    page = desktop
    sign_in(page, live_server, hlta)
    main_nav(page, "Resources").click()
    expect(h1(page)).to_have_text("Resource bank")
    page.get_by_role("link", name="Add a resource").click()
    expect(h1(page)).to_have_text("Add a resource")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Making and using now/next boards in lessons.")
    page.get_by_label("Kind").select_option(label="File")
    page.get_by_label("Area of need").select_option(label="Communication and interaction")
    page.get_by_label("Strategy type").select_option(label="Now/next board")
    page.get_by_label("Key stage").select_option(label="Key stage 3")
    page.get_by_label("Tags").fill("visual, transitions")
    page.get_by_label("File", exact=True).set_input_files(guide)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Resource published.")
    expect(h1(page)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="Download now-next-board-guide.pdf")).to_be_visible()
    resource = Resource.objects.get(title=TITLE)
    assert resource.owner == hlta
    stored = ResourceFile.objects.get(resource=resource)
    assert (stored.version, stored.content_type, stored.size) == (1, "application/pdf", len(PDF))

    # Found in the bank by searching; a search for something else does not show it.
    page.get_by_role("link", name="Resource bank").click()
    search = page.get_by_role("search", name="Find resources")
    search.get_by_label("Search").fill("unicorn")
    search.get_by_role("button", name="Find").click()
    expect(page).to_have_url(re.compile(r"[?&]q=unicorn"))
    expect(page.get_by_text("No resources match.")).to_be_visible()
    search.get_by_label("Search").fill("transitions")
    search.get_by_role("button", name="Find").click()
    expect(page).to_have_url(re.compile(r"[?&]q=transitions"))
    expect(page.get_by_text("1 resource", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=starts_with(TITLE))).to_be_visible()

    # A teacher finds it on a classroom tablet and downloads it.
    page = tablet
    sign_in(page, live_server, teacher, touch=True)
    main_nav(page, "Resources").tap()
    expect(page.get_by_role("link", name="Add a resource")).to_have_count(0)
    page.get_by_label("Search").fill("now/next")
    page.get_by_role("button", name="Find").tap()
    page.get_by_role("link", name=starts_with(TITLE)).tap()
    expect(h1(page)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="Edit or upload a new version")).to_have_count(0)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download now-next-board-guide.pdf").tap()
    download = downloading.value
    assert download.suggested_filename == "now-next-board-guide.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF

    href = page.get_by_role("link", name="Download now-next-board-guide.pdf").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body() == PDF


# --- 2. a CPD session: plan, register, feedback ----------------------------------------


def test_hlta_runs_a_session_and_an_fls_gives_feedback(desktop, tablet, live_server, people):
    hlta, fls = people[Role.HLTA], people[Role.FLS]
    starts = timezone.now() - datetime.timedelta(hours=2)

    page = desktop
    sign_in(page, live_server, hlta)
    main_nav(page, "CPD").click()
    expect(h1(page)).to_have_text("CPD calendar")
    page.get_by_role("link", name="Plan a session").click()
    expect(h1(page)).to_have_text("Plan a CPD session")
    page.get_by_label("Title").fill("Zones of regulation")
    page.get_by_label("Description").fill("Using the zones with pupils who find lessons hard.")
    page.get_by_label("Presenter", exact=True).select_option(label="Hana Lee")
    page.get_by_label("Starts at").fill(local_input(starts))
    page.get_by_label("Duration minutes").fill("90")
    page.get_by_label("Location").fill("Library")
    page.get_by_role("checkbox", name="Faculty Learning Support assistant").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("CPD session planned.")
    expect(h1(page)).to_have_text("Zones of regulation")
    expect(page.get_by_text("Presented by Hana Lee")).to_be_visible()
    expect(page.get_by_text("No register taken yet.")).to_be_visible()
    event = CpdEvent.objects.get(title="Zones of regulation")
    assert (event.presenter, event.created_by, event.audience_roles) == (hlta, hlta, "FLS")
    assert abs(event.starts_at - starts) < datetime.timedelta(minutes=1)

    page.get_by_role("link", name="Take the register").click()
    expect(h1(page)).to_have_text("Register: Zones of regulation")
    register = page.get_by_role("group", name="Staff")
    expect(register.get_by_role("checkbox")).to_have_count(1)  # the audience: FLS only
    register.get_by_role("checkbox", name=re.compile("^Femi Adams")).check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_role("status")).to_contain_text("Register saved: 1 present.")
    expect(page.get_by_role("heading", name="Attendance (1)")).to_be_visible()
    expect(page.get_by_text("No feedback yet.")).to_be_visible()

    # The FLS, on a tablet, finds the session in the calendar and gives feedback.
    other = tablet
    sign_in(other, live_server, fls, touch=True)
    main_nav(other, "CPD").tap()
    expect(other.get_by_role("table", name="CPD sessions coming up")).to_have_count(0)
    past = other.get_by_role("table", name="Past CPD sessions")
    past.get_by_role("link", name="Zones of regulation").tap()
    expect(h1(other)).to_have_text("Zones of regulation")
    expect(other.get_by_role("link", name="Take the register")).to_have_count(0)
    other.get_by_role("link", name="Give feedback").tap()
    expect(h1(other)).to_have_text("Feedback on the session")
    other.get_by_role("radio", name="5 — excellent").check()
    other.get_by_label("Comment").fill("Practical and calm; I will use the zones tomorrow.")
    other.get_by_role("button", name="Save").tap()
    expect(other.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    expect(other.get_by_role("link", name="Change my feedback")).to_be_visible()
    # Only those who run the session see everyone's ratings.
    expect(other.get_by_role("heading", name=re.compile("^Feedback"))).to_have_count(0)

    # The HLTA sees the average rating.
    page.reload()
    expect(page.get_by_role("heading", name="Feedback: 5.0 out of 5 from 1")).to_be_visible()
    expect(page.get_by_text("5/5 — Practical and calm")).to_be_visible()

    # The session is in the FLS's own CPD record.
    other.get_by_role("link", name="CPD calendar").tap()
    other.get_by_role("link", name="My CPD").tap()
    expect(h1(other)).to_have_text("My CPD")
    expect(other.get_by_text("1 entry, 1.5 hours in all.")).to_be_visible()
    row = other.locator("tbody tr").filter(has_text="Zones of regulation")
    expect(row).to_contain_text("Session attended")
    expect(row).to_contain_text("In school")
    expect(row).to_contain_text("Practical and calm")

    attendance = CpdAttendance.objects.get(event=event)
    assert (attendance.staff, attendance.attended, attendance.rating) == (fls, True, 5)


# --- 3. the training matrix ------------------------------------------------------------


@pytest.fixture
def training(people, school_a):
    """Two trainings, with a valid, an expiring, an expired and a missing record."""
    today = timezone.localdate()
    medication = TrainingTypeFactory(school=school_a, name="Administering medication")
    handling = TrainingTypeFactory(school=school_a, name="Moving and handling", validity_months=36)
    year_ago = today - relativedelta(months=12)
    records = {
        "valid": TrainingRecordFactory(
            staff=people[Role.TEACHER],
            training_type=medication,
            completed_on=today - datetime.timedelta(days=60),
        ),
        "expiring": TrainingRecordFactory(
            staff=people[Role.FLS],
            training_type=medication,
            completed_on=year_ago + datetime.timedelta(days=10),
        ),
        "expired": TrainingRecordFactory(
            staff=people[Role.HLTA],
            training_type=medication,
            completed_on=year_ago - datetime.timedelta(days=30),
        ),
    }
    return {"medication": medication, "handling": handling, **records}


# The colour that repeats each status (static/css/sendhub.css).
STATUS_COLOURS = {
    "Valid": "rgb(209, 231, 221)",
    "Expiring soon": "rgb(255, 243, 205)",
    "Expired": "rgb(248, 215, 218)",
    "Not trained": "rgb(233, 236, 239)",
}


def matrix_cell(page, person, training_type):
    """The matrix cell for one person and training, found by its row and column headers."""
    headers = page.locator("thead th").all_inner_texts()
    column = headers.index(training_type)
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=person, exact=True))
    return row.locator("th, td").nth(column)


def test_sendco_keeps_the_training_matrix(desktop, live_server, people, training):
    page = desktop
    sendco, teacher = people[Role.SENDCO], people[Role.TEACHER]
    today = timezone.localdate()

    sign_in(page, live_server, sendco)
    main_nav(page, "Training").click()
    expect(h1(page)).to_have_text("Training matrix")
    expect(main_nav(page, "Training")).to_have_attribute("aria-current", "page")
    expect(page.locator("tbody tr")).to_have_count(len(Role) - 1)  # not the trust lead
    expect(page.locator("thead th")).to_have_text(
        ["Staff", "Administering medication", "Moving and handling"]
    )

    def expect_cell(person, training_type, status, detail=None):
        cell = matrix_cell(page, person, training_type)
        expect(cell).to_contain_text(status)
        expect(cell).to_have_css("background-color", STATUS_COLOURS[status])
        if detail:
            expect(cell).to_contain_text(detail)

    expires = {name: training[name].expires_on for name in ("valid", "expiring", "expired")}
    expect_cell(
        "Tom Reid", "Administering medication", "Valid", f"until {expires['valid']:%-d %b %Y}"
    )
    expect_cell(
        "Femi Adams",
        "Administering medication",
        "Expiring soon",
        f"until {expires['expiring']:%-d %b %Y}",
    )
    expect_cell(
        "Hana Lee", "Administering medication", "Expired", f"since {expires['expired']:%-d %b %Y}"
    )
    expect_cell("Priya Shah", "Administering medication", "Not trained")
    expect_cell("Tom Reid", "Moving and handling", "Not trained")
    expect(page.get_by_text("Valid: 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Expiring within 30 days: 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Expired: 1", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Not trained: {2 * (len(Role) - 1) - 3}", exact=True)).to_be_visible()

    # Filter by role: only the teacher.
    page.get_by_label("Role").select_option(label="Teacher")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]role=TEACHER"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_label("Role")).to_have_value("TEACHER")
    expect_cell("Tom Reid", "Administering medication", "Valid")

    # The teacher's own training page: the SENDCo records a new training.
    page.get_by_role("link", name="Tom Reid", exact=True).click()
    expect(h1(page)).to_have_text("Training: Tom Reid")
    expect(page).to_have_url(f"{live_server.url}{reverse('cpd:staff_training', args=[teacher.pk])}")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Training type").select_option(label="Moving and handling")
    completed = today - datetime.timedelta(days=7)
    page.get_by_label("Completed on").fill(completed.isoformat())
    page.get_by_label("Provider").fill("County manual handling team")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Training recorded.")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    added = rows.filter(has_text="Moving and handling")
    expect(added).to_contain_text(f"{completed:%-d %b %Y}")
    expect(added).to_contain_text(f"{completed + relativedelta(months=36):%-d %b %Y}")
    expect(added).to_contain_text("Valid")
    expect(added).to_contain_text("County manual handling team")
    record = TrainingRecord.objects.get(staff=teacher, training_type=training["handling"])
    assert record.expires_on == completed + relativedelta(months=36)
    assert record.recorded_by == sendco.user

    page.get_by_role("link", name="Training matrix").click()
    expect_cell("Tom Reid", "Moving and handling", "Valid")


# --- 4. axe-core on every CPD page -----------------------------------------------------


@pytest.fixture
def cpd_data(people, school_a, training):
    """A file resource, a past session with register and feedback, a specialism with a
    request: enough that each page shows its tables and forms, not its empty states."""
    sendco, hlta, fls = people[Role.SENDCO], people[Role.HLTA], people[Role.FLS]
    resource = cpd_services.resource_create(
        actor=hlta,
        upload=SimpleUploadedFile("guide.pdf", PDF),
        title=TITLE,
        description="Making and using now/next boards.",
        kind=Resource.Kind.FILE,
        area="CI",
        tags="visual, transitions",
    )
    event = EventFactory(
        school=school_a,
        title="Zones of regulation",
        presenter=hlta,
        external_presenter="",
        created_by=hlta,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        location="Library",
        audience_roles="FLS,SENDCO",
    )
    event.materials.add(resource)
    EventFactory(school=school_a, title="Attachment-aware classrooms")  # still to come
    cpd_services.cpd_attendance_take(actor=hlta, event=event, present={fls.pk, sendco.pk})
    cpd_services.cpd_feedback_give(actor=fls, event=event, rating=4, comment="Useful.")
    cpd_services.cpd_feedback_give(actor=sendco, event=event, rating=5)
    cpd_services.cpd_record_save(
        actor=sendco,
        title="NASEN webinar: EHCP outcomes",
        completed_on=timezone.localdate() - datetime.timedelta(days=20),
        hours=1,
        provider="NASEN",
    )
    TrainingRecordFactory(staff=sendco, training_type=training["handling"])
    specialism = SpecialismFactory(
        school=school_a, name="Speech and language", area="CI", holder=hlta
    )
    SpecialismFactory(school=school_a, name="Numeracy", area="COG")
    cpd_services.support_request_create(
        actor=people[Role.TEACHER],
        specialism=specialism,
        kind="SUPPORT",
        message="Ideas for a Year 8 pupil who struggles with instructions?",
    )
    return {"resource": resource, "event": event, "specialism": specialism, "people": people}


PAGES = {
    "resource bank": lambda d: reverse("cpd:resources"),
    "resource detail": lambda d: reverse("cpd:resource", args=[d["resource"].pk]),
    "resource form": lambda d: reverse("cpd:resource_create"),
    "CPD calendar": lambda d: reverse("cpd:calendar"),
    "event detail": lambda d: reverse("cpd:event", args=[d["event"].pk]),
    "register": lambda d: reverse("cpd:attendance", args=[d["event"].pk]),
    "feedback form": lambda d: reverse("cpd:feedback", args=[d["event"].pk]),
    "my CPD": lambda d: reverse("cpd:mine"),
    "training matrix": lambda d: reverse("cpd:matrix"),
    "staff training": lambda d: reverse("cpd:staff_training", args=[d["people"][Role.TEACHER].pk]),
    "specialists": lambda d: reverse("cpd:specialisms"),
    "specialism with a request": lambda d: reverse("cpd:specialism", args=[d["specialism"].pk]),
}


@pytest.mark.parametrize("name", PAGES)
def test_cpd_pages_are_accessible(desktop, live_server, cpd_data, name):
    """As the SENDCo, who sees the most on each page (edit buttons, feedback, answers)."""
    sign_in(desktop, live_server, cpd_data["people"][Role.SENDCO])
    response = desktop.goto(f"{live_server.url}{PAGES[name](cpd_data)}")
    assert response.status == 200
    assert desktop.locator("table, form, .list-group, .card").count() > 0
    assert_accessible(desktop)


@pytest.mark.parametrize("name", ["resource form", "feedback form", "staff training"])
def test_cpd_forms_with_errors_are_accessible(desktop, live_server, cpd_data, name):
    """A form sent back with errors: the messages must be tied to their fields."""
    sign_in(desktop, live_server, cpd_data["people"][Role.SENDCO])
    desktop.goto(f"{live_server.url}{PAGES[name](cpd_data)}")
    # An earlier rating is filled in again; clear it to send the form back with an error.
    desktop.evaluate(
        "document.querySelectorAll('input[type=radio]').forEach(r => r.checked = false)"
    )
    desktop.locator("main form[method=post]").last.get_by_role("button").last.click()
    expect(desktop.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    assert_accessible(desktop)
