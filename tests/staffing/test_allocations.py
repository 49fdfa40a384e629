"""Allocations: the SENDCo places staff on the timetable; clashes, a pupil's second 1:1,
missing care training and work far beyond the contract are refused with the reason, and
the pupils supported are linked to the person for the access rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staffing.deployment.services import allocation_create, allocation_end
from staffing.models import Allocation, Role
from students.models import CarePlan, StaffPupilLink
from tests.cpd.factories import TrainingRecordFactory, TrainingTypeFactory
from tests.staffing.factories import StaffMemberFactory
from tests.staffing.timetable import build_class, build_timetable, monday_of
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def tt(school_a):
    return build_timetable(school_a, week_one_starts=monday_of(TODAY()))


@pytest.fixture
def science(school_a, staff, tt, pupil):
    others = [PupilFactory(school=school_a) for _ in range(3)]
    periods = tt["periods"]
    return build_class(
        school_a,
        name="8X/Sc1",
        subject="Science",
        faculty_name="Science",
        teacher=staff[Role.TEACHER],
        pupils=[pupil, *others],
        periods=[periods[(1, 1, "P1")], periods[(2, 3, "P2")]],
    )


def place(staff_member, period, kind="IN_CLASS", actor=None, **extra):
    return allocation_create(
        actor=actor or staff_member,
        staff=staff_member,
        period=period,
        kind=kind,
        starts_on=TODAY(),
        **extra,
    )


def test_in_class_support_links_the_class_pupils_to_the_assistant(staff, tt, science, pupil):
    fls = staff[Role.FLS]
    placed = place(fls, tt["periods"][(1, 1, "P1")], group=science, actor=staff[Role.SENDCO])
    assert placed.warnings == []
    links = StaffPupilLink.objects.filter(staff=fls, source="ALLOCATION")
    assert set(links.values_list("pupil_id", flat=True)) == set(
        science.pupils.values_list("pk", flat=True)
    )
    # Ending the allocation before it began removes it and the links.
    allocation_end(
        actor=staff[Role.SENDCO],
        allocation=placed.allocation,
        last_day=TODAY() - datetime.timedelta(days=1),
    )
    assert not Allocation.objects.exists()
    assert not links.exists()


def test_focus_pupils_narrow_the_links_and_must_be_in_the_class(
    school_a, staff, tt, science, pupil
):
    fls = staff[Role.FLS]
    stranger = PupilFactory(school=school_a)
    with pytest.raises(ValidationError, match="Not in 8X/Sc1"):
        place(fls, tt["periods"][(1, 1, "P1")], group=science, focus_pupils=[stranger])
    place(fls, tt["periods"][(1, 1, "P1")], group=science, focus_pupils=[pupil])
    assert list(StaffPupilLink.objects.filter(staff=fls).values_list("pupil_id", flat=True)) == [
        pupil.pk
    ]


def test_a_class_not_taught_then_is_refused(staff, tt, science):
    with pytest.raises(ValidationError, match="is not taught in Week 1 Monday P2"):
        place(staff[Role.FLS], tt["periods"][(1, 1, "P2")], group=science)


def test_one_person_in_two_places_is_refused(staff, tt, science):
    fls = staff[Role.FLS]
    place(fls, tt["periods"][(1, 1, "P1")], group=science)
    with pytest.raises(ValidationError, match="already allocated then: in-class support of 8X"):
        place(fls, tt["periods"][(1, 1, "P1")], kind="LIAISON")
    # A different week is free; so is the same slot once the first allocation has ended.
    place(fls, tt["periods"][(2, 1, "P1")], kind="LIAISON")
    assert Allocation.objects.count() == 2


def test_a_pupil_cannot_have_two_one_to_ones_at_once(staff, tt, pupil):
    place(staff[Role.ONE_TO_ONE], tt["periods"][(1, 2, "P3")], kind="ONE_TO_ONE", pupil=pupil)
    with pytest.raises(ValidationError, match="already has a 1:1 with"):
        place(staff[Role.HLTA], tt["periods"][(1, 2, "P3")], kind="ONE_TO_ONE", pupil=pupil)


def test_one_to_one_needs_the_training_the_care_plan_asks_for(school_a, staff, tt, pupil):
    training = TrainingTypeFactory(school=school_a, name="Moving and handling")
    plan = CarePlan.objects.create(school=school_a, pupil=pupil, mobility="Hoist", staff_needed=1)
    plan.required_trainings.set([training])
    one = staff[Role.ONE_TO_ONE]
    with pytest.raises(
        ValidationError, match=r"does not hold the training .*: Moving and handling"
    ):
        place(one, tt["periods"][(1, 2, "P3")], kind="ONE_TO_ONE", pupil=pupil)
    assert not Allocation.objects.exists()
    TrainingRecordFactory(
        staff=one, training_type=training, completed_on=TODAY() - datetime.timedelta(days=5)
    )
    place(one, tt["periods"][(1, 2, "P3")], kind="ONE_TO_ONE", pupil=pupil)
    assert StaffPupilLink.objects.filter(staff=one, pupil=pupil, source="ALLOCATION").exists()


def test_beyond_the_contract_warns_and_beyond_the_hard_limit_refuses(school_a, tt, settings):
    settings.SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT = 50
    fls = StaffMemberFactory(school=school_a, role=Role.FLS, contracted_periods=2)
    periods = tt["periods"]
    assert place(fls, periods[(1, 1, "P2")], kind="LIAISON").warnings == []
    assert place(fls, periods[(1, 2, "P2")], kind="LIAISON").warnings == []
    third = place(fls, periods[(1, 3, "P2")], kind="CURRICULUM")
    assert third.warnings == [f"{fls.user.full_name} now has 3 periods against a contract of 2."]
    with pytest.raises(ValidationError, match="more than the school allows over contract"):
        place(fls, periods[(1, 4, "P2")], kind="CURRICULUM")
    assert Allocation.objects.count() == 3


def test_duty_only_at_break_or_lunch_and_teachers_are_not_deployed(staff, tt):
    with pytest.raises(ValidationError, match="is a lesson, not a break or lunch"):
        place(staff[Role.FLS], tt["periods"][(1, 1, "P1")], kind="DUTY")
    place(staff[Role.FLS], tt["periods"][(1, 1, "Break")], kind="DUTY")
    with pytest.raises(ValidationError, match="is not deployed on the timetable"):
        place(staff[Role.TEACHER], tt["periods"][(1, 1, "P2")], kind="LIAISON")


def test_another_schools_period_or_class_is_refused(school_b, staff, tt):
    other = build_timetable(school_b, week_one_starts=monday_of(TODAY()))
    with pytest.raises(ValidationError, match="another school"):
        place(staff[Role.FLS], other["periods"][(1, 1, "P1")], kind="LIAISON")


def test_week_of_alternates_from_week_one(tt):
    timetable = tt["timetable"]
    start = timetable.week_one_starts
    assert timetable.week_of(start) == 1
    assert timetable.week_of(start + datetime.timedelta(days=8)) == 2
    assert timetable.week_of(start + datetime.timedelta(days=14)) == 1
    assert timetable.week_of(start - datetime.timedelta(days=1)) == 2
