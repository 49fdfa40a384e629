"""A term's Assess-Plan-Do-Review cycle through the pages, and the EHCP pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import EhcPlan, PupilNeed, SupportPlan
from tests.staffing.factories import StaffMemberFactory
from tests.students.factories import LinkFactory

pytestmark = pytest.mark.django_db


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


TARGET_ROWS = [
    {
        "area": "CI",
        "description": "Use a help card to ask for help in 4 of 5 lessons",
        "strategies": "Help card on desk; adult checks in after 5 minutes",
        "success_criteria": "Observed in 4 of 5 lessons",
        "supported_by": "FLS",
        "frequency": "Every lesson",
    },
    {
        "area": "CL",
        "description": "Read 20 high-frequency words",
        "strategies": "Precision teaching",
    },
    {"area": "", "description": ""},  # the blank extra row is ignored
]


def test_hlta_drafts_sendco_approves_reviews_and_starts_next_cycle(
    member_client, staff, pupil, client
):
    LinkFactory(pupil=pupil, staff=staff[Role.HLTA])
    today = timezone.localdate()
    hlta = member_client(staff[Role.HLTA])
    response = hlta.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": today - datetime.timedelta(days=60),
            "review_date": today + datetime.timedelta(days=30),
            "assessment": "Reading age 7y2m (Salford)",
            **formset("targets", TARGET_ROWS),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = SupportPlan.objects.get(pupil=pupil)
    assert plan.targets.count() == 2
    assert hlta.post(reverse("students:plan_action", args=[plan.pk, "submit"])).status_code == 302
    # The HLTA cannot approve their own plan.
    assert hlta.post(reverse("students:plan_action", args=[plan.pk, "approve"])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "SUBMITTED"

    sendco = member_client(staff[Role.SENDCO])
    page = sendco.get(reverse("students:plan", args=[plan.pk])).content.decode()
    assert "Approve: make active" in page
    sendco.post(reverse("students:plan_action", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == "ACTIVE"

    first, second = plan.targets.all()
    response = sendco.post(
        reverse("students:plan_review", args=[plan.pk]),
        {
            "reviewed_on": today,
            f"outcome_{first.pk}": "ACHIEVED",
            f"outcome_{second.pk}": "NOT",
            f"comment_{second.pk}": "12 of 20",
            "pupil_voice": "I like the help card",
            "parent_voice": "Happier at home",
            "next_steps": "Continue precision teaching",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "REVIEWED"
    response = sendco.post(
        reverse("students:plan_next", args=[plan.pk]),
        {"start_date": today, "review_date": today + datetime.timedelta(weeks=12)},
    )
    assert response.status_code == 302
    following = SupportPlan.objects.get(pupil=pupil, cycle=2)
    assert response.url == reverse("students:plan", args=[following.pk])
    assert [t.description for t in following.targets.all()] == ["Read 20 high-frequency words"]

    # Earlier versions stay viewable and printable.
    old = sendco.get(reverse("students:plan", args=[plan.pk])).content.decode()
    assert "12 of 20" in old
    assert "Closed" in old
    pdf = sendco.get(reverse("students:plan_pdf", args=[plan.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_plan_form_shows_errors_at_the_field_and_saves_nothing(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    response = sendco.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-09-01",
            **formset("targets", TARGET_ROWS),
        },
    )
    assert response.status_code == 200
    assert "The review date must be after the start date." in response.content.decode()
    response = sendco.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-12-01",
            **formset("targets", [{"area": "XX", "description": "x"}]),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupportPlan.objects.exists()


def test_second_active_plan_is_refused_with_a_message(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    form = {
        "start_date": "2026-09-07",
        "review_date": "2026-12-01",
        **formset("targets", TARGET_ROWS[:1]),
    }
    sendco.post(reverse("students:plan_create", args=[pupil.pk]), form)
    first = SupportPlan.objects.get()
    sendco.post(reverse("students:plan_action", args=[first.pk, "approve"]))
    sendco.post(reverse("students:plan_create", args=[pupil.pk]), form)
    second = SupportPlan.objects.get(cycle=2)
    # Force a second approval attempt while the first plan is still active.
    response = sendco.post(
        reverse("students:plan_action", args=[second.pk, "approve"]), follow=True
    )
    assert "already has an active plan" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "DRAFT"


def test_only_one_plan_is_written_at_a_time(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    form = {
        "start_date": "2026-09-07",
        "review_date": "2026-12-01",
        **formset("targets", TARGET_ROWS[:1]),
    }
    sendco.post(reverse("students:plan_create", args=[pupil.pk]), form)
    response = sendco.post(reverse("students:plan_create", args=[pupil.pk]), form)
    assert response.status_code == 200
    assert "already has a plan being written" in response.content.decode()
    assert SupportPlan.objects.count() == 1


def test_review_before_the_plan_started_is_refused_at_the_field(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    sendco.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-12-01",
            **formset("targets", TARGET_ROWS[:1]),
        },
    )
    plan = SupportPlan.objects.get()
    sendco.post(reverse("students:plan_action", args=[plan.pk, "approve"]))
    target = plan.targets.get()
    response = sendco.post(
        reverse("students:plan_review", args=[plan.pk]),
        {"reviewed_on": "2026-08-01", f"outcome_{target.pk}": "ACHIEVED"},
    )
    assert response.status_code == 200
    assert "cannot be before the plan started" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "ACTIVE"


def test_editing_a_draft_replaces_its_targets(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    sendco.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-12-01",
            **formset("targets", TARGET_ROWS[:2]),
        },
    )
    plan = SupportPlan.objects.get()
    first, second = plan.targets.all()
    edit = reverse("students:plan_edit", args=[plan.pk])
    assert "Read 20 high-frequency words" in sendco.get(edit).content.decode()
    rows = [
        {"id": first.pk, "area": "CI", "description": "Changed target"},
        {"id": second.pk, "area": "CL", "description": second.description, "DELETE": "on"},
    ]
    response = sendco.post(
        edit,
        {"start_date": "2026-09-07", "review_date": "2026-12-01", **formset("targets", rows, 2)},
    )
    assert response.status_code == 302
    assert [t.description for t in plan.targets.all()] == ["Changed target"]


def test_need_form_refuses_a_second_primary_need_at_the_field(member_client, staff, pupil):
    response = member_client(staff[Role.SENDCO]).post(
        reverse("students:need_add", args=[pupil.pk]), {"code": "ASD", "rank": "1"}
    )
    assert response.status_code == 200
    assert "already has a primary need" in response.content.decode()
    assert list(PupilNeed.objects.values_list("code", flat=True)) == ["SLCN"]


def test_sendco_records_an_ehcp_with_outcomes_progress_and_review(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    response = sendco.post(
        reverse("students:ehcp_edit", args=[pupil.pk]),
        {
            "date_issued": "2025-10-01",
            "local_authority": "Bristol City Council",
            "la_coordinator": "J. Patel",
            "primary_need": "SLCN",
            "funded_hours_per_week": "12.5",
            "provision_summary": "Daily speech and language programme",
            **formset(
                "outcomes", [{"area": "CI", "description": "Starts a conversation with a peer"}]
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ehcp = EhcPlan.objects.get(pupil=pupil)
    assert ehcp.next_review_date == datetime.date(2026, 10, 1)
    page = sendco.get(reverse("students:ehcp", args=[pupil.pk])).content.decode()
    assert "Paperwork out by" in page
    assert "17 Sep 2026" in page
    assert "Overdue" in page
    outcome = ehcp.outcomes.get()
    response = sendco.post(
        reverse("students:ehcp_progress", args=[pupil.pk, outcome.pk]),
        {
            "recorded_on": "2025-12-15",
            "term": "Autumn 2025",
            "rating": "SOME",
            "note": "With prompts",
        },
    )
    assert response.status_code == 302
    response = sendco.post(
        reverse("students:ehcp_review", args=[pupil.pk]),
        {
            "meeting_date": "2026-09-30",
            "attendees": "SENDCo, parents, SaLT",
            "recommendations": "Continue",
        },
    )
    assert response.status_code == 302
    ehcp.refresh_from_db()
    assert ehcp.next_review_date == datetime.date(2027, 9, 30)
    pupil.refresh_from_db()
    assert pupil.sen_status == "E"


def test_history_shows_who_changed_what(member_client, staff, pupil):
    sendco = member_client(staff[Role.SENDCO])
    sendco.post(reverse("students:passport_edit", args=[pupil.pk]), {"about_me": "Loves trains"})
    page = sendco.get(reverse("students:history", args=[pupil.pk])).content.decode()
    assert "Passport" in page
    assert "Loves trains" in page
    assert staff[Role.SENDCO].user.full_name in page


@pytest.mark.parametrize("extra", [5, 50])
def test_profile_and_plan_pages_have_fixed_query_counts(
    member_client, staff, pupil, extra, django_assert_max_num_queries
):
    sendco = member_client(staff[Role.SENDCO])
    for member in StaffMemberFactory.create_batch(extra, school=pupil.school, role=Role.FLS):
        LinkFactory(pupil=pupil, staff=member)
    rows = [{"area": "CI", "description": f"Target {n}"} for n in range(min(extra, 12))]
    sendco.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {"start_date": "2026-09-07", "review_date": "2026-12-01", **formset("targets", rows)},
    )
    plan = SupportPlan.objects.get()
    sendco.get(reverse("students:pupil", args=[pupil.pk]))
    with django_assert_max_num_queries(12):
        assert sendco.get(reverse("students:pupil", args=[pupil.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert sendco.get(reverse("students:plan", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert sendco.get(reverse("students:history", args=[pupil.pk])).status_code == 200
