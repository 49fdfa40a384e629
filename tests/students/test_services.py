"""The rules of the pupil record, enforced by the services whatever the page did."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staffing.models import Role
from students.models import (
    EhcPlan,
    Pupil,
    PupilNeed,
    RegisterPeriod,
    SenStatus,
    SupportPlan,
    TargetOutcome,
)
from students.services import ehcp as ehcp_services
from students.services import plans as plan_services
from students.services import register as register_services
from students.services.plans import OutcomeInput, TargetInput
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TARGETS = [
    TargetInput(area="CI", description="Ask for help using a help card in 4 of 5 lessons"),
    TargetInput(area="CL", description="Read 20 high-frequency words fluently"),
]


@pytest.fixture
def sendco(staff):
    return staff[Role.SENDCO]


def test_register_history_keeps_each_span(sendco, school_a):
    pupil = PupilFactory(school=school_a, sen_status=SenStatus.NONE)
    register_services.pupil_register_set(pupil=pupil, status="K", on=D(2025, 9, 8), actor=sendco)
    register_services.pupil_register_set(pupil=pupil, status="E", on=D(2026, 3, 2), actor=sendco)
    register_services.pupil_register_set(pupil=pupil, status="N", on=D(2026, 7, 20), actor=sendco)
    pupil.refresh_from_db()
    assert pupil.sen_status == SenStatus.NONE
    spans = list(
        RegisterPeriod.objects.filter(pupil=pupil)
        .order_by("started_on")
        .values_list("status", "started_on", "ended_on")
    )
    assert spans == [
        ("K", D(2025, 9, 8), D(2026, 3, 2)),
        ("E", D(2026, 3, 2), D(2026, 7, 20)),
    ]


def test_register_refuses_the_same_status_and_dates_before_the_current_span(sendco, school_a):
    pupil = PupilFactory(school=school_a, sen_status=SenStatus.NONE)
    register_services.pupil_register_set(pupil=pupil, status="K", on=D(2026, 1, 5), actor=sendco)
    with pytest.raises(ValidationError, match="already recorded"):
        register_services.pupil_register_set(
            pupil=pupil, status="K", on=D(2026, 2, 1), actor=sendco
        )
    with pytest.raises(ValidationError, match="cannot be before"):
        register_services.pupil_register_set(
            pupil=pupil, status="E", on=D(2025, 12, 1), actor=sendco
        )
    assert RegisterPeriod.objects.filter(pupil=pupil).count() == 1


def test_services_refuse_another_schools_pupil(sendco, school_b):
    pupil = PupilFactory(school=school_b)
    with pytest.raises(ValidationError, match="another school"):
        register_services.pupil_need_save(pupil=pupil, code="ASD", rank=1, actor=sendco)


@pytest.mark.parametrize(
    ("code", "rank", "message"),
    [
        ("ASD", 1, "already has a primary need"),  # two primary needs
        ("SLCN", 2, "already recorded"),  # the same code twice
        ("ADHD", 2, "not a census type"),  # unknown code
    ],
)
def test_bad_needs_are_refused_and_nothing_saved(sendco, pupil, code, rank, message):
    before = list(PupilNeed.objects.values_list("code", "rank"))
    with pytest.raises(ValidationError, match=message):
        register_services.pupil_need_save(pupil=pupil, code=code, rank=rank, actor=sendco)
    assert list(PupilNeed.objects.values_list("code", "rank")) == before


def test_area_of_need_is_derived_from_the_code(sendco, pupil):
    need = register_services.pupil_need_save(pupil=pupil, code="ASD", rank=2, actor=sendco)
    assert need.area.label == "Communication and interaction"
    other = register_services.pupil_need_save(
        pupil=PupilFactory(school=pupil.school), code="NSA", rank=1, actor=sendco
    )
    assert other.area is None


@pytest.mark.parametrize("upn", ["A801200005001", "B80120000500", "X80120000A001", "hello"])
def test_invalid_upn_is_refused(school_a, upn):
    pupil = PupilFactory.build(school=school_a, upn=upn)
    with pytest.raises(ValidationError) as error:
        pupil.full_clean()
    assert "upn" in error.value.error_dict


def test_upn_is_unique_within_a_school_only(school_a, school_b):
    PupilFactory(school=school_a, upn="B801200005001")
    PupilFactory(school=school_b, upn="B801200005001")
    duplicate = PupilFactory.build(school=school_a, upn="b801200005001")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilFactory(school=school_a, upn="B801200005001")
    assert Pupil.objects.filter(upn="B801200005001").count() == 2


def make_active_plan(pupil, sendco):
    plan = plan_services.plan_create(
        pupil=pupil,
        actor=sendco,
        start_date=D(2026, 9, 7),
        review_date=D(2026, 12, 11),
        targets=TARGETS,
    )
    plan_services.plan_submit(plan=plan, actor=sendco)
    return plan_services.plan_approve(plan=plan, actor=sendco)


def test_assess_plan_do_review_cycle(sendco, staff, pupil):
    plan = plan_services.plan_create(
        pupil=pupil,
        actor=staff[Role.HLTA],
        start_date=D(2026, 9, 7),
        review_date=D(2026, 12, 11),
        assessment="Reading age 7y2m",
        targets=TARGETS,
    )
    assert (plan.status, plan.cycle, plan.targets.count()) == ("DRAFT", 1, 2)
    plan = plan_services.plan_submit(plan=plan, actor=staff[Role.HLTA])
    plan = plan_services.plan_approve(plan=plan, actor=sendco)
    assert plan.status == SupportPlan.Status.ACTIVE
    assert plan.approved_by == sendco
    first, second = plan.targets.all()
    review = plan_services.plan_review_record(
        plan=plan,
        actor=sendco,
        reviewed_on=D(2026, 11, 20),
        next_steps="Move to phase 4",
        outcomes=[
            OutcomeInput(first.pk, TargetOutcome.Outcome.ACHIEVED),
            OutcomeInput(second.pk, TargetOutcome.Outcome.PARTLY, "18 of 20"),
        ],
    )
    assert review.plan.status == "REVIEWED"
    following = plan_services.plan_start_next_cycle(
        plan=plan, actor=sendco, start_date=D(2026, 11, 23), review_date=D(2027, 3, 26)
    )
    plan.refresh_from_db()
    assert plan.status == "CLOSED"
    assert (following.cycle, following.status, following.previous) == (2, "DRAFT", plan)
    carried = list(following.targets.all())
    assert [t.description for t in carried] == [second.description]
    assert carried[0].carried_from == second
    assert "Move to phase 4" in following.assessment


def test_only_one_active_plan_per_pupil(sendco, pupil):
    make_active_plan(pupil, sendco)
    second = plan_services.plan_create(
        pupil=pupil,
        actor=sendco,
        start_date=D(2026, 10, 1),
        review_date=D(2027, 1, 1),
        targets=TARGETS,
    )
    with pytest.raises(ValidationError, match="already has an active plan"):
        plan_services.plan_approve(plan=second, actor=sendco)
    second.refresh_from_db()
    assert second.status == "DRAFT"
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPlan.objects.filter(pk=second.pk).update(status="ACTIVE")


def test_review_date_before_start_is_refused(sendco, pupil):
    with pytest.raises(ValidationError, match="after the start"):
        plan_services.plan_create(
            pupil=pupil,
            actor=sendco,
            start_date=D(2026, 9, 7),
            review_date=D(2026, 9, 1),
            targets=TARGETS,
        )
    assert not SupportPlan.objects.exists()
    plan = make_active_plan(pupil, sendco)
    targets = [OutcomeInput(t.pk, "ACHIEVED") for t in plan.targets.all()]
    with pytest.raises(ValidationError, match="before the plan started"):
        plan_services.plan_review_record(
            plan=plan, actor=sendco, reviewed_on=D(2026, 8, 1), outcomes=targets
        )
    plan.refresh_from_db()
    assert plan.status == "ACTIVE"
    assert not hasattr(plan, "review")


def test_review_needs_an_outcome_for_every_target(sendco, pupil):
    plan = make_active_plan(pupil, sendco)
    first = plan.targets.first()
    with pytest.raises(ValidationError, match="every target"):
        plan_services.plan_review_record(
            plan=plan,
            actor=sendco,
            reviewed_on=D(2026, 11, 1),
            outcomes=[OutcomeInput(first.pk, "ACHIEVED")],
        )
    assert not TargetOutcome.objects.exists()


def test_active_plans_cannot_be_edited(sendco, pupil):
    plan = make_active_plan(pupil, sendco)
    with pytest.raises(ValidationError, match="only drafts"):
        plan_services.plan_update(
            plan=plan,
            actor=sendco,
            start_date=plan.start_date,
            review_date=plan.review_date,
            targets=TARGETS[:1],
        )
    assert plan.targets.count() == 2


def test_a_plan_needs_targets(sendco, pupil):
    with pytest.raises(ValidationError, match="at least one target"):
        plan_services.plan_create(
            pupil=pupil,
            actor=sendco,
            start_date=D(2026, 9, 7),
            review_date=D(2026, 12, 1),
            targets=[],
        )
    assert not SupportPlan.objects.exists()


def test_ehcp_review_dates(sendco, pupil):
    ehcp = ehcp_services.ehcp_save(
        pupil=pupil,
        actor=sendco,
        date_issued=D(2025, 3, 14),
        local_authority="Bristol",
        primary_need="ASD",
        funded_hours_per_week=Decimal("15.0"),
        outcomes=[ehcp_services.EhcpOutcomeInput(area="CI", description="Joins a group task")],
    )
    assert ehcp.next_review_date == D(2026, 3, 14)
    assert ehcp.paperwork_due == D(2026, 2, 28)
    pupil.refresh_from_db()
    assert pupil.sen_status == SenStatus.EHCP
    ehcp_services.ehcp_review_record(
        ehcp=ehcp, actor=sendco, meeting_date=D(2026, 3, 10), attendees="SENDCo, parent, LA"
    )
    ehcp.refresh_from_db()
    assert (ehcp.last_review_date, ehcp.next_review_date) == (D(2026, 3, 10), D(2027, 3, 10))


def test_ehcp_review_before_issue_is_refused(sendco, pupil):
    ehcp = ehcp_services.ehcp_save(
        pupil=pupil,
        actor=sendco,
        date_issued=D(2025, 3, 14),
        local_authority="Bristol",
        primary_need="ASD",
        outcomes=[],
    )
    with pytest.raises(ValidationError, match="before the plan was issued"):
        ehcp_services.ehcp_review_record(
            ehcp=ehcp, actor=sendco, meeting_date=D(2025, 1, 1), attendees="x"
        )
    assert not ehcp.reviews.exists()
    with pytest.raises(ValidationError):
        ehcp_services.ehcp_save(
            pupil=pupil,
            actor=sendco,
            date_issued=D(2025, 3, 14),
            local_authority="Bristol",
            primary_need="ASD",
            funded_hours_per_week=Decimal("99"),
            outcomes=[],
        )
    assert EhcPlan.objects.get().funded_hours_per_week == 0
