"""My day, a member of staff's timetable and the allocation form, as people use them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.deployment.services import allocation_create
from staffing.models import Allocation, Faculty, Role
from students.models import SenStatus, StaffPupilLink
from tests.staffing.factories import SchoolFactory, StaffMemberFactory
from tests.staffing.timetable import build_class, build_timetable, monday_of
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def next_weekday(day: datetime.date) -> datetime.date:
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def day():
    return next_weekday(TODAY())


@pytest.fixture
def tt(school_a, day):
    return build_timetable(school_a, week_one_starts=monday_of(day))


@pytest.fixture
def english(school_a, staff, tt, pupil, day):
    quiet = PupilFactory(school=school_a, sen_status=SenStatus.NONE, first_name="Nobody")
    return build_class(
        school_a,
        name="9Y/En2",
        subject="English",
        faculty_name="English",
        teacher=staff[Role.TEACHER],
        pupils=[pupil, quiet],
        periods=[tt["periods"][(1, day.isoweekday(), "P2")]],
        room="E4",
    )


def test_my_day_shows_the_slots_in_order_with_class_room_and_register_pupils(
    member_client, staff, tt, english, pupil, day
):
    fls = staff[Role.FLS]
    allocation_create(
        actor=staff[Role.SENDCO],
        staff=fls,
        period=tt["periods"][(1, day.isoweekday(), "P2")],
        kind="IN_CLASS",
        group=english,
        starts_on=day,
    )
    body = member_client(fls).get(reverse("staffing:my_day"), {"date": day}).content.decode()
    assert body.index(" P1</h2>") < body.index(" P2</h2>") < body.index(" Lunch</h2>")
    assert "9Y/En2 (English), room E4, with " + staff[Role.TEACHER].user.full_name in body
    assert reverse("students:passport", args=[pupil.pk]) in body
    assert "Nobody" not in body  # not on the SEND register
    assert body.count(">Free<") == 4
    # The allocation gave the assistant the pupil: the passport opens.
    passport = member_client(fls).get(reverse("students:passport", args=[pupil.pk]))
    assert passport.status_code == 200


def test_my_day_without_a_timetable_or_at_the_weekend_says_so(member_client, staff, school_a):
    body = member_client(staff[Role.FLS]).get(reverse("staffing:my_day")).content.decode()
    assert "No timetable for this day" in body
    saturday = monday_of(TODAY()) + datetime.timedelta(days=5)
    build_timetable(school_a, week_one_starts=monday_of(TODAY()))
    weekend = member_client(staff[Role.FLS]).get(reverse("staffing:my_day"), {"date": saturday})
    assert "it is the weekend" in weekend.content.decode()


def test_who_may_open_a_timetable(member_client, staff, tt, school_b):
    fls = staff[Role.FLS]
    url = reverse("staffing:timetable", args=[fls.pk])
    assert member_client(fls).get(url).status_code == 200
    assert member_client(staff[Role.SENDCO]).get(url).status_code == 200
    assert member_client(staff[Role.SLT]).get(url).status_code == 200
    assert member_client(staff[Role.HLTA]).get(url).status_code == 403
    assert member_client(staff[Role.TEACHER]).get(url).status_code == 403
    other = StaffMemberFactory(school=school_b, role=Role.FLS)
    response = member_client(staff[Role.SENDCO]).get(reverse("staffing:timetable", args=[other.pk]))
    assert response.status_code == 404
    # Only SEN leads see the allocate links.
    assert "Allocate" not in member_client(fls).get(url).content.decode()


def test_sendco_allocates_from_the_grid_and_sees_the_warning_and_the_refusal(
    member_client, school_a, staff, tt, english, pupil, day, settings
):
    settings.SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT = 100
    fls = StaffMemberFactory(school=school_a, role=Role.FLS, contracted_periods=1)
    client = member_client(staff[Role.SENDCO])
    grid = client.get(reverse("staffing:timetable", args=[fls.pk])).content.decode()
    p2 = tt["periods"][(1, day.isoweekday(), "P2")]
    allocate = reverse("staffing:allocate", args=[fls.pk, p2.pk])
    assert allocate in grid
    form = client.get(allocate).content.decode()
    assert "9Y/En2" in form
    response = client.post(
        allocate, {"kind": "IN_CLASS", "group": english.pk, "starts_on": day.isoformat()}
    )
    assert response.status_code == 302
    assert Allocation.objects.get().group == english
    p1 = tt["periods"][(1, day.isoweekday(), "P1")]
    liaison = client.post(
        reverse("staffing:allocate", args=[fls.pk, p1.pk]),
        {"kind": "LIAISON", "starts_on": day.isoformat()},
        follow=True,
    )
    assert "now has 2 periods against a contract of 1" in liaison.content.decode()
    assert "Over contract by 1" in liaison.content.decode()
    clash = client.post(allocate, {"kind": "LIAISON", "starts_on": day.isoformat()})
    assert clash.status_code == 200
    assert "already allocated then" in clash.content.decode()
    assert Allocation.objects.count() == 2


def test_only_sen_leads_allocate_or_end(member_client, staff, tt, english, day):
    fls = staff[Role.FLS]
    p2 = tt["periods"][(1, day.isoweekday(), "P2")]
    url = reverse("staffing:allocate", args=[fls.pk, p2.pk])
    assert member_client(fls).post(url, {"kind": "LIAISON"}).status_code == 403
    placed = allocation_create(
        actor=staff[Role.SENDCO],
        staff=fls,
        period=p2,
        kind="IN_CLASS",
        group=english,
        starts_on=day,
    )
    end = reverse("staffing:allocation_end", args=[placed.allocation.pk])
    assert member_client(staff[Role.HLTA]).post(end).status_code == 403
    assert member_client(staff[Role.PSO]).post(end).status_code == 302
    assert not StaffPupilLink.objects.filter(staff=fls, source="ALLOCATION").exists()


def test_my_day_and_timetable_keep_their_query_budget(
    member_client, school_a, staff, tt, day, django_assert_max_num_queries
):
    fls = staff[Role.FLS]
    client = member_client(fls)

    def add_classes(n, offset):
        for i in range(n):
            for name in ("P1", "P2", "P3"):
                period = tt["periods"][(1 + i % 2, 1 + (i // 2) % 5, name)]
                group = build_class(
                    school_a,
                    name=f"G{offset + i}{name}",
                    subject="Maths",
                    faculty_name="Maths",
                    teacher=staff[Role.TEACHER],
                    pupils=[PupilFactory(school=school_a) for _ in range(3)],
                    periods=[period],
                )
                if not Allocation.objects.filter(staff=fls, period=period).exists():
                    allocation_create(
                        actor=fls,
                        staff=fls,
                        period=period,
                        kind="IN_CLASS",
                        group=group,
                        starts_on=day,
                    )

    urls = [
        reverse("staffing:my_day") + f"?date={day}",
        reverse("staffing:timetable", args=[fls.pk]) + f"?date={day}",
    ]
    add_classes(1, 0)
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    add_classes(10, 100)
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_workload_shows_periods_against_contract_and_the_split(
    member_client, school_a, staff, tt, day, settings, django_assert_max_num_queries
):
    settings.SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT = 100
    fls = StaffMemberFactory(school=school_a, role=Role.FLS, contracted_periods=2)
    for name, kind in (("P1", "LIAISON"), ("P2", "CURRICULUM"), ("P3", "LIAISON")):
        allocation_create(
            actor=fls, staff=fls, period=tt["periods"][(1, 1, name)], kind=kind, starts_on=day
        )
    client = member_client(staff[Role.SENDCO])
    url = reverse("staffing:workload")
    body = client.get(url, {"date": day}).content.decode()
    row = body[body.index(fls.user.full_name) :]
    row = row[: row.index("</tr>")]
    assert "Over by 1" in row
    assert "Liaison and planning 67 % (15 %)" in row
    assert "In-class support 0 % (85 %)" in row
    assert member_client(staff[Role.FLS]).get(url).status_code == 403
    for _ in range(10):
        StaffMemberFactory(school=school_a, role=Role.FLS, contracted_periods=60)
    client = member_client(staff[Role.SENDCO])  # the test client is shared
    with django_assert_max_num_queries(8):
        assert client.get(url, {"date": day}).status_code == 200


def test_a_teacher_sees_who_supports_their_lessons(member_client, staff, tt, english, pupil, day):
    period = tt["periods"][(1, day.isoweekday(), "P2")]
    allocation_create(
        actor=staff[Role.SENDCO], staff=staff[Role.FLS], period=period, kind="IN_CLASS",
        group=english, starts_on=day,
    )  # fmt: skip
    allocation_create(
        actor=staff[Role.SENDCO], staff=staff[Role.ONE_TO_ONE], period=period,
        kind="ONE_TO_ONE", pupil=pupil, starts_on=day,
    )  # fmt: skip
    client = member_client(staff[Role.TEACHER])
    body = client.get(reverse("staffing:my_day"), {"date": day}).content.decode()
    assert "Support in your lessons" in body
    assert f"{staff[Role.FLS].user.full_name} (in-class support)" in body
    assert f"{staff[Role.ONE_TO_ONE].user.full_name} (1:1 with {pupil.full_name})" in body


def test_faculty_grid_shows_each_lesson_with_its_support(
    member_client, school_a, staff, tt, english, day, django_assert_max_num_queries
):
    period = tt["periods"][(1, day.isoweekday(), "P2")]
    allocation_create(
        actor=staff[Role.SENDCO], staff=staff[Role.FLS], period=period, kind="IN_CLASS",
        group=english, starts_on=day,
    )  # fmt: skip
    build_class(
        school_a, name="9Y/En3", subject="English", faculty_name="English",
        teacher=staff[Role.TEACHER], pupils=[], periods=[tt["periods"][(2, 1, "P1")]],
    )  # fmt: skip
    client = member_client(staff[Role.SENDCO])
    url = reverse("staffing:faculty_grid", args=[english.faculty_id])
    body = client.get(url, {"date": day}).content.decode()
    assert f"9Y/En2 ({staff[Role.TEACHER].user.last_name}):" in body
    assert staff[Role.FLS].user.full_name in body
    unsupported = body[body.index("9Y/En3") :]
    assert unsupported.index("No support") < unsupported.index("</li>")
    assert member_client(staff[Role.FLS]).get(url).status_code == 403
    client = member_client(staff[Role.SENDCO])
    with django_assert_max_num_queries(10):
        assert client.get(url, {"date": day}).status_code == 200
    # Another school's faculty answers 404.
    foreign = Faculty.objects.create(school=SchoolFactory(), name="Art")
    assert client.get(reverse("staffing:faculty_grid", args=[foreign.pk])).status_code == 404


def test_sendco_adds_support_to_a_lesson_from_the_faculty_grid(
    member_client, staff, tt, english, pupil, day
):
    from staffing.models import Lesson

    lesson = Lesson.objects.get(group=english)
    client = member_client(staff[Role.SENDCO])
    grid = client.get(reverse("staffing:faculty_grid", args=[english.faculty_id])).content.decode()
    url = reverse("staffing:lesson_support", args=[lesson.pk])
    assert url in grid
    form = client.get(url).content.decode()
    assert pupil.last_name in form  # on the register: offered as a focus pupil
    assert "Nobody" not in form  # not on the register
    response = client.post(
        url, {"staff": staff[Role.HLTA].pk, "focus_pupils": [pupil.pk], "starts_on": day}
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.group, allocation.period, allocation.kind) == (
        english,
        lesson.period,
        "IN_CLASS",
    )
    assert list(allocation.focus_pupils.all()) == [pupil]
    again = client.post(url, {"staff": staff[Role.HLTA].pk, "starts_on": day})
    assert "already allocated then" in again.content.decode()
    assert member_client(staff[Role.SLT]).post(url, {}).status_code == 403


def test_staff_page_shows_the_deployment_details_and_links_the_timetable(
    member_client, school_a, staff
):
    fls = StaffMemberFactory(
        school=school_a, role=Role.FLS, grade="B", contracted_periods=60,
        specialism_subject="Literacy", working_pattern="Term time only",
    )  # fmt: skip
    url = reverse("staffing:staff_detail", args=[fls.pk])
    body = member_client(staff[Role.SENDCO]).get(url).content.decode()
    for text in ("Grade", "60 periods a timetable cycle", "Literacy", "Term time only"):
        assert text in body
    assert reverse("staffing:timetable", args=[fls.pk]) in body
    # The data manager may read the page but not the timetable: no link offered.
    dm = member_client(staff[Role.DATA_MANAGER]).get(url).content.decode()
    assert reverse("staffing:timetable", args=[fls.pk]) not in dm


def test_sendco_gives_a_pupil_a_one_to_one_from_their_week(
    member_client, school_a, staff, tt, english, pupil, day
):
    from students.models import CarePlan
    from tests.cpd.factories import TrainingTypeFactory

    client = member_client(staff[Role.SENDCO])
    period = tt["periods"][(1, day.isoweekday(), "P2")]
    week = client.get(reverse("staffing:pupil_week", args=[pupil.pk]), {"date": day})
    url = reverse("staffing:pupil_support", args=[pupil.pk, period.pk])
    assert url in week.content.decode()
    training = TrainingTypeFactory(school=school_a, name="Personal care and hygiene")
    plan = CarePlan.objects.create(school=school_a, pupil=pupil, toileting="Help changing")
    plan.required_trainings.set([training])
    refused = client.post(url, {"staff": staff[Role.ONE_TO_ONE].pk, "starts_on": day})
    assert "Personal care and hygiene" in refused.content.decode()
    assert not Allocation.objects.exists()
    plan.required_trainings.clear()
    done = client.post(url, {"staff": staff[Role.ONE_TO_ONE].pk, "starts_on": day})
    assert done.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.pupil, allocation.kind, allocation.period) == (pupil, "ONE_TO_ONE", period)
    assert member_client(staff[Role.SLT]).post(url, {}).status_code == 403
