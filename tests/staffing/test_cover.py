"""Absence and cover: the slots an absence leaves, ranked suggestions of who is free, and
cover assigned in one click, which the covering person sees on their day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staffing.deployment.cover import CoverPlan, absence_record, cover_assign
from staffing.deployment.services import allocation_create
from staffing.models import Cover, Faculty, Role
from students.models import CarePlan, StaffPupilLink
from tests.cpd.factories import TrainingTypeFactory
from tests.staffing.factories import StaffMemberFactory
from tests.staffing.timetable import build_class, build_timetable, monday_of
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    """The coming Tuesday (week 1 of the test timetable)."""
    today = timezone.localdate()
    return monday_of(today) + datetime.timedelta(days=8 if today.weekday() >= 1 else 1)


@pytest.fixture
def tt(school_a, day):
    return build_timetable(school_a, week_one_starts=monday_of(day))


@pytest.fixture
def setting(school_a, staff, tt, pupil, day):
    """An FLS supports 8S/Ma1 in P1 and is Maya's 1:1 in P2 on Tuesdays."""
    periods = tt["periods"]
    week = tt["timetable"].week_of(day)
    p1, p2 = periods[(week, 2, "P1")], periods[(week, 2, "P2")]
    maths = build_class(
        school_a,
        name="8S/Ma1",
        subject="Maths",
        faculty_name="Maths",
        teacher=staff[Role.TEACHER],
        pupils=[pupil, PupilFactory(school=school_a)],
        periods=[p1],
    )
    fls = staff[Role.FLS]
    sendco = staff[Role.SENDCO]
    in_class = allocation_create(
        actor=sendco, staff=fls, period=p1, kind="IN_CLASS", group=maths, starts_on=day
    ).allocation
    one = allocation_create(
        actor=sendco, staff=fls, period=p2, kind="ONE_TO_ONE", pupil=pupil, starts_on=day
    ).allocation
    absence = absence_record(actor=sendco, staff=fls, starts_on=day, ends_on=day, reason="ILLNESS")
    return {"p1": p1, "p2": p2, "maths": maths, "in_class": in_class, "one": one,
            "absence": absence}  # fmt: skip


def test_the_plan_lists_the_slots_and_ranks_who_is_free(school_a, staff, setting, pupil, day):
    maths_fls = StaffMemberFactory(
        school=school_a, role=Role.FLS, faculty=Faculty.objects.get(name="Maths")
    )
    busy = staff[Role.HLTA]
    allocation_create(actor=busy, staff=busy, period=setting["p1"], kind="LIAISON", starts_on=day)
    plan = CoverPlan.build(absence=setting["absence"])
    assert [(s.on, s.allocation.period.name) for s in plan.slots] == [(day, "P1"), (day, "P2")]
    first = plan.slots[0]
    assert sorted(first.pupil_ids) == sorted(setting["maths"].pupils.values_list("pk", flat=True))
    names = [s.member for s in first.suggestions]
    assert names[0] == maths_fls  # works in the faculty
    assert busy not in names  # allocated then
    assert "works in Maths" in first.suggestions[0].reasons


def test_cover_is_assigned_once_and_gives_the_pupils_for_the_day(staff, setting, pupil, day):
    hlta = staff[Role.HLTA]
    cover = cover_assign(
        actor=staff[Role.SENDCO],
        absence=setting["absence"],
        allocation=setting["in_class"],
        on=day,
        covered_by=hlta,
    )
    link = StaffPupilLink.objects.get(staff=hlta, pupil=pupil, source="COVER")
    assert link.valid_until == day
    with pytest.raises(ValidationError, match="already covers it"):
        cover_assign(
            actor=staff[Role.SENDCO],
            absence=setting["absence"],
            allocation=setting["in_class"],
            on=day,
            covered_by=staff[Role.ONE_TO_ONE],
        )
    # Busy now: cannot cover another slot at the same time.
    assert Cover.objects.get() == cover
    plan = CoverPlan.build(absence=setting["absence"])
    assert plan.slots[0].cover == cover


def test_someone_away_or_busy_or_untrained_cannot_cover(school_a, staff, setting, pupil, day):
    sendco = staff[Role.SENDCO]
    one = staff[Role.ONE_TO_ONE]
    absence_record(actor=sendco, staff=one, starts_on=day, ends_on=day, reason="TRAINING")
    with pytest.raises(ValidationError, match="is away then"):
        cover_assign(
            actor=sendco, absence=setting["absence"], allocation=setting["in_class"], on=day,
            covered_by=one,
        )  # fmt: skip
    training = TrainingTypeFactory(school=school_a, name="Moving and handling")
    plan = CarePlan.objects.create(school=school_a, pupil=pupil, mobility="Hoist")
    plan.required_trainings.set([training])
    with pytest.raises(ValidationError, match="does not hold the training"):
        cover_assign(
            actor=sendco, absence=setting["absence"], allocation=setting["one"], on=day,
            covered_by=staff[Role.HLTA],
        )  # fmt: skip
    suggestions = CoverPlan.build(absence=setting["absence"]).slots[1].suggestions
    assert suggestions == []  # nobody free holds the training
    assert not Cover.objects.exists()


def test_absence_bad_input(staff, day):
    sendco = staff[Role.SENDCO]
    fls = staff[Role.FLS]
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        absence_record(
            actor=sendco, staff=fls, starts_on=day, ends_on=day - datetime.timedelta(days=1),
            reason="ILLNESS",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Give both times"):
        absence_record(
            actor=sendco, staff=fls, starts_on=day, ends_on=day, reason="ILLNESS",
            from_time=datetime.time(11, 0),
        )  # fmt: skip
    absence_record(actor=sendco, staff=fls, starts_on=day, ends_on=day, reason="ILLNESS")
    with pytest.raises(ValidationError, match="already recorded as away"):
        absence_record(actor=sendco, staff=fls, starts_on=day, ends_on=day, reason="ILLNESS")


def test_part_day_absence_leaves_only_the_periods_it_takes_in(staff, setting, day):
    setting["absence"].delete()
    absence = absence_record(
        actor=staff[Role.SENDCO], staff=staff[Role.FLS], starts_on=day, ends_on=day,
        reason="APPOINTMENT", from_time=datetime.time(10, 0), to_time=datetime.time(11, 0),
    )  # fmt: skip
    assert [s.allocation.period.name for s in CoverPlan.build(absence=absence).slots] == ["P2"]


def test_cover_shows_on_the_covering_persons_day(member_client, staff, setting, day):
    hlta = staff[Role.HLTA]
    cover_assign(
        actor=staff[Role.SENDCO], absence=setting["absence"], allocation=setting["in_class"],
        on=day, covered_by=hlta,
    )  # fmt: skip
    body = member_client(hlta).get(reverse("staffing:my_day"), {"date": day}).content.decode()
    assert "Cover for " + staff[Role.FLS].user.full_name in body
    assert "8S/Ma1" in body


def test_sendco_records_an_absence_and_assigns_cover_in_one_click(
    member_client, staff, setting, day, school_a, django_assert_max_num_queries
):
    setting["absence"].delete()
    client = member_client(staff[Role.SENDCO])
    response = client.post(
        reverse("staffing:absences"),
        {"staff": staff[Role.FLS].pk, "starts_on": day, "ends_on": day, "reason": "ILLNESS"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "2 of 2 slots still need cover" in body
    absence = setting["absence"].__class__.objects.get()
    best = CoverPlan.build(absence=absence).slots[0].suggestions[0].member
    assert "Assign " + best.user.full_name in body
    client.post(
        reverse("staffing:cover_assign", args=[absence.pk]),
        {"allocation": setting["in_class"].pk, "on": day, "staff": best.pk},
    )
    assert Cover.objects.get().covered_by == best
    assert "1 of 2 slots still needs cover" in client.get(response["Location"]).content.decode()
    # More staff and absences do not add queries.
    for _ in range(10):
        StaffMemberFactory(school=school_a, role=Role.FLS)
    with django_assert_max_num_queries(25):
        assert client.get(response["Location"]).status_code == 200


def test_only_sen_leads_manage_absence_and_other_schools_are_hidden(
    member_client, staff, setting, school_b
):
    url = reverse("staffing:absence", args=[setting["absence"].pk])
    assert member_client(staff[Role.FLS]).get(url).status_code == 403
    assert member_client(staff[Role.TEACHER]).get(reverse("staffing:absences")).status_code == 403
    other = StaffMemberFactory(school=school_b, role=Role.SENDCO)
    assert member_client(other).get(url).status_code == 404
