"""Hostile and mistaken input: a clear error at the field, nothing half-saved, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.models import Role
from students.models import EhcPlan, OutcomeProgress, PupilNeed, RegisterPeriod, SupportPlan
from students.services import ehcp as ehcp_services
from students.services import plans as plan_services
from tests.students.factories import LinkFactory, PupilFactory
from tests.students.test_plan_pages import formset

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def sendco_client(member_client, staff):
    return member_client(staff[Role.SENDCO])


def test_overlong_passport_text_is_refused_at_the_field(sendco_client, pupil):
    before = pupil.passport.about_me
    response = sendco_client.post(
        reverse("students:passport_edit", args=[pupil.pk]), {"about_me": "x" * 1001}
    )
    assert response.status_code == 200
    assert "at most 1000 characters" in response.content.decode()
    pupil.passport.refresh_from_db()
    assert pupil.passport.about_me == before


def test_overlong_target_is_refused(sendco_client, pupil):
    response = sendco_client.post(
        reverse("students:plan_create", args=[pupil.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-12-01",
            **formset("targets", [{"area": "CI", "description": "y" * 2001}]),
        },
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not SupportPlan.objects.exists()


def ehcp_form(**overrides):
    data = {
        "date_issued": "2025-10-01",
        "local_authority": "Bristol",
        "primary_need": "SLCN",
        "funded_hours_per_week": "10",
        **formset("outcomes", []),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_review_date", "9999-12-31", "between the issue date and today"),
        ("last_review_date", "2025-01-01", "between the issue date and today"),
        ("date_issued", "2999-01-01", "cannot be in the future"),
        ("funded_hours_per_week", "-5", "greater than or equal to 0"),
        ("funded_hours_per_week", "41", "less than or equal to 40"),
        ("primary_need", "ADHD", "Select a valid choice"),
    ],
)
def test_bad_ehcp_values_are_refused(sendco_client, pupil, field, value, message):
    response = sendco_client.post(
        reverse("students:ehcp_edit", args=[pupil.pk]), ehcp_form(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EhcPlan.objects.exists()


def test_ehcp_edit_keeps_recorded_reviews(sendco_client, staff, pupil):
    sendco = staff[Role.SENDCO]
    ehcp = ehcp_services.ehcp_save(
        pupil=pupil,
        actor=sendco,
        date_issued=D(2025, 1, 10),
        local_authority="Bristol",
        primary_need="SLCN",
        outcomes=[],
    )
    ehcp_services.ehcp_review_record(
        ehcp=ehcp, actor=sendco, meeting_date=D(2026, 1, 5), attendees="SENDCo, parents"
    )
    # Clearing the last review date on the form does not undo the recorded meeting.
    sendco_client.post(
        reverse("students:ehcp_edit", args=[pupil.pk]),
        ehcp_form(date_issued="2025-01-10", local_authority="Bristol CC"),
    )
    ehcp.refresh_from_db()
    assert (ehcp.local_authority, ehcp.next_review_date) == ("Bristol CC", D(2027, 1, 5))
    response = sendco_client.post(
        reverse("students:ehcp_edit", args=[pupil.pk]), ehcp_form(date_issued="2026-02-01")
    )
    assert "after its recorded review meetings" in response.content.decode()


def test_outcome_with_progress_cannot_be_removed(sendco_client, staff, pupil):
    sendco = staff[Role.SENDCO]
    ehcp = ehcp_services.ehcp_save(
        pupil=pupil,
        actor=sendco,
        date_issued=D(2025, 1, 10),
        local_authority="Bristol",
        primary_need="SLCN",
        outcomes=[ehcp_services.EhcpOutcomeInput(area="CI", description="Talks to a peer")],
    )
    outcome = ehcp.outcomes.get()
    ehcp_services.ehcp_progress_record(
        outcome=outcome, actor=sendco, recorded_on=D(2025, 12, 1), term="Autumn", rating="SOME"
    )
    response = sendco_client.post(
        reverse("students:ehcp_edit", args=[pupil.pk]), ehcp_form(date_issued="2025-01-10")
    )
    assert "cannot be removed" in response.content.decode()
    assert OutcomeProgress.objects.filter(outcome=outcome).exists()


def test_register_status_refuses_future_and_overlapping_dates(sendco_client, school_a):
    pupil = PupilFactory(school=school_a, sen_status="N")
    url = reverse("students:register_status", args=[pupil.pk])
    future = timezone.localdate() + datetime.timedelta(days=365)
    response = sendco_client.post(url, {"status": "K", "on": future.isoformat()})
    assert "not ahead" in response.content.decode()
    sendco_client.post(url, {"status": "K", "on": "2026-01-05"})
    sendco_client.post(url, {"status": "N", "on": "2026-06-01"})
    response = sendco_client.post(url, {"status": "K", "on": "2025-09-01"})
    assert "already covers that time" in response.content.decode()
    assert RegisterPeriod.objects.filter(pupil=pupil).count() == 1


def test_a_pupil_with_an_ehcp_leaves_e_only_when_it_ceases(sendco_client, staff, pupil):
    sendco = staff[Role.SENDCO]
    ehcp_services.ehcp_save(
        pupil=pupil,
        actor=sendco,
        date_issued=D(2025, 1, 10),
        local_authority="Bristol",
        primary_need="SLCN",
        outcomes=[],
    )
    pupil.refresh_from_db()
    assert pupil.sen_status == "E"
    response = sendco_client.post(
        reverse("students:register_status", args=[pupil.pk]),
        {"status": "K", "on": timezone.localdate().isoformat()},
    )
    assert "has an EHC plan" in response.content.decode()
    response = sendco_client.post(
        reverse("students:ehcp_cease", args=[pupil.pk]),
        {"ceased_on": timezone.localdate().isoformat(), "new_status": "K"},
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.sen_status == "K"
    assert EhcPlan.objects.get().ceased_on == timezone.localdate()
    # Editing the ceased plan's details does not put the pupil back to E.
    sendco_client.post(
        reverse("students:ehcp_edit", args=[pupil.pk]),
        ehcp_form(date_issued="2025-01-10", local_authority="Bristol CC"),
    )
    pupil.refresh_from_db()
    assert pupil.sen_status == "K"


def test_editing_a_submitted_plan_returns_it_to_draft(member_client, staff, pupil):
    LinkFactory(pupil=pupil, staff=staff[Role.HLTA])
    plan = plan_services.plan_create(
        pupil=pupil,
        actor=staff[Role.HLTA],
        start_date=D(2026, 9, 7),
        review_date=D(2026, 12, 1),
        targets=[plan_services.TargetInput(area="CI", description="First")],
    )
    plan_services.plan_submit(plan=plan, actor=staff[Role.HLTA])
    target = plan.targets.get()
    member_client(staff[Role.HLTA]).post(
        reverse("students:plan_edit", args=[plan.pk]),
        {
            "start_date": "2026-09-07",
            "review_date": "2026-12-01",
            **formset("targets", [{"id": target.pk, "area": "CI", "description": "Changed"}], 1),
        },
    )
    plan.refresh_from_db()
    assert plan.status == "DRAFT"


def test_hlta_cannot_delete_someone_elses_draft(member_client, staff, pupil):
    LinkFactory(pupil=pupil, staff=staff[Role.HLTA])
    plan = plan_services.plan_create(
        pupil=pupil,
        actor=staff[Role.SENDCO],
        start_date=D(2026, 9, 7),
        review_date=D(2026, 12, 1),
        targets=[plan_services.TargetInput(area="CI", description="x")],
    )
    hlta = member_client(staff[Role.HLTA])
    assert hlta.post(reverse("students:plan_action", args=[plan.pk, "delete"])).status_code == 403
    assert SupportPlan.objects.filter(pk=plan.pk).exists()


def test_admin_inline_clashes_are_errors_not_crashes(member_client, staff, pupil):
    dm = member_client(staff[Role.DATA_MANAGER])
    base = {
        "upn": pupil.upn,
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "date_of_birth": "2013-05-17",
        "year_group": "8",
        "sen_status": "K",
        "is_active": "on",
        "staff_links-TOTAL_FORMS": "0",
        "staff_links-INITIAL_FORMS": "0",
    }
    existing = pupil.needs.get()
    response = dm.post(
        reverse("admin:students_pupil_change", args=[pupil.pk]),
        {
            **base,
            "needs-TOTAL_FORMS": "2",
            "needs-INITIAL_FORMS": "1",
            "needs-0-id": existing.pk,
            "needs-0-pupil": pupil.pk,
            "needs-0-code": "SLCN",
            "needs-0-rank": "1",
            "needs-1-code": "ASD",
            "needs-1-rank": "1",
            "register_periods-TOTAL_FORMS": "2",
            "register_periods-INITIAL_FORMS": "0",
            "register_periods-0-status": "K",
            "register_periods-0-started_on": "2025-01-01",
            "register_periods-1-status": "K",
            "register_periods-1-started_on": "2025-06-01",
        },
    )
    assert response.status_code == 200
    assert list(PupilNeed.objects.filter(pupil=pupil).values_list("code", flat=True)) == ["SLCN"]
    assert not RegisterPeriod.objects.filter(pupil=pupil).exists()
    body = response.content.decode()
    assert "duplicate data for rank" in body
    assert "Only one span on the register can be open" in body
