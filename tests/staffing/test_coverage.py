"""The SENDCo's coverage report: lessons with and without support per pupil, EHC plan hours
funded against allocated, and lessons with several register pupils and no adult.

The known timetable (two weeks; P1, P2, P3 an hour each, break 20 minutes, lunch 50):

- English 9Y/En2: Maya (K), Ben (E), Cal (K) and Nobody (not on the register); week 1
  Monday P1 and Wednesday P2, week 2 Monday P1 and Friday P3.
- Maths 9Y/Ma1: Maya, Ben and Dee (K); week 1 and week 2 Tuesday P1.
- Allocations in force on the day: the FLS and the PSO in English week 1 Monday P1 for the
  whole class; the HLTA in English week 1 Wednesday P2 for Cal only; the 1:1 assistant with
  Ben in Maths week 1 Tuesday P1 and in week 2 Thursday P2 (no lesson of his); Eve (E, in no
  class) has a 1:1 with another assistant on both Fridays P1. An FLS in Maths week 2 Tuesday
  ended the day before.
- Ben's plan funds 5 hours a week, Eve's half an hour; Fin's plan ceased.
"""

import csv
import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.deployment.coverage import (
    PupilFilters,
    ehcp_hours_gap,
    pupil_coverage,
    pupil_week,
    unsupported_high_need_lessons,
)
from staffing.deployment.services import allocation_create
from staffing.models import Role
from students.models import EhcPlan, SenStatus
from tests.staffing.factories import StaffMemberFactory
from tests.staffing.timetable import build_class, build_timetable, monday_of
from tests.students.factories import PupilFactory

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI = 1, 2, 3, 4, 5
CLASS_NUMBERS = itertools.count(1)


def plan(pupil, hours, *, ceased_on=None):
    return EhcPlan.objects.create(
        school=pupil.school,
        pupil=pupil,
        date_issued=datetime.date(2024, 1, 10),
        local_authority="Bristol",
        primary_need="ASD",
        funded_hours_per_week=Decimal(hours),
        next_review_date=datetime.date(2099, 1, 10),
        ceased_on=ceased_on,
    )


@pytest.fixture
def day():
    return timezone.localdate()


@pytest.fixture
def tt(school_a, day):
    return build_timetable(school_a, week_one_starts=monday_of(day))


@pytest.fixture
def known(school_a, staff, tt, pupil, day):
    """The known timetable of the module docstring; returns the pupils and classes."""
    p = tt["periods"]
    sendco = staff[Role.SENDCO]
    ben = PupilFactory(school=school_a, first_name="Ben", last_name="Brown", sen_status="E")
    cal = PupilFactory(school=school_a, first_name="Cal", last_name="Cole")
    dee = PupilFactory(school=school_a, first_name="Dee", last_name="Dunn", year_group=9)
    eve = PupilFactory(school=school_a, first_name="Eve", last_name="Evans", sen_status="E")
    fin = PupilFactory(school=school_a, first_name="Fin", last_name="Ford", sen_status="K")
    nobody = PupilFactory(school=school_a, first_name="Nobody", sen_status=SenStatus.NONE)
    plan(ben, "5.0")
    plan(eve, "0.5")
    plan(fin, "3.0", ceased_on=day - datetime.timedelta(days=10))
    english = build_class(
        school_a,
        name="9Y/En2",
        subject="English",
        faculty_name="English",
        teacher=staff[Role.TEACHER],
        pupils=[pupil, ben, cal, nobody],
        periods=[p[(1, MON, "P1")], p[(1, WED, "P2")], p[(2, MON, "P1")], p[(2, FRI, "P3")]],
    )
    maths = build_class(
        school_a,
        name="9Y/Ma1",
        subject="Maths",
        faculty_name="Maths",
        teacher=staff[Role.TEACHER],
        pupils=[pupil, ben, dee],
        periods=[p[(1, TUE, "P1")], p[(2, TUE, "P1")]],
        room="M2",
    )

    def allocate(member, period, kind, **kwargs):
        kwargs.setdefault("starts_on", day)
        return allocation_create(actor=sendco, staff=member, period=period, kind=kind, **kwargs)

    allocate(staff[Role.FLS], p[(1, MON, "P1")], "IN_CLASS", group=english)
    allocate(staff[Role.PSO], p[(1, MON, "P1")], "IN_CLASS", group=english)
    allocate(staff[Role.HLTA], p[(1, WED, "P2")], "IN_CLASS", group=english, focus_pupils=[cal])
    allocate(staff[Role.ONE_TO_ONE], p[(1, TUE, "P1")], "ONE_TO_ONE", pupil=ben)
    allocate(staff[Role.ONE_TO_ONE], p[(2, THU, "P2")], "ONE_TO_ONE", pupil=ben)
    other = StaffMemberFactory(school=school_a, role=Role.ONE_TO_ONE)
    allocate(other, p[(1, FRI, "P1")], "ONE_TO_ONE", pupil=eve)
    allocate(other, p[(2, FRI, "P1")], "ONE_TO_ONE", pupil=eve)
    allocate(
        staff[Role.FLS],
        p[(2, TUE, "P1")],
        "IN_CLASS",
        group=maths,
        starts_on=day - datetime.timedelta(days=30),
        ends_on=day - datetime.timedelta(days=1),
    )
    return {
        "maya": pupil,
        "ben": ben,
        "cal": cal,
        "dee": dee,
        "eve": eve,
        "fin": fin,
        "english": english,
        "maths": maths,
    }


def figures(rows):
    return {
        row.pupil.first_name: (row.lessons, row.supported, row.unsupported, row.percent)
        for row in rows
    }


def test_lessons_with_and_without_support_per_pupil(staff, known, day):
    rows = pupil_coverage(actor=staff[Role.SENDCO], on=day)
    assert figures(rows) == {
        # English Mon P1 (whole class); not Wednesday (Cal's focus), not Ben's 1:1.
        "Maya": (6, 1, 5, 17),
        # English Mon P1 and his 1:1 in Maths; the 1:1 outside lessons is not a lesson.
        "Ben": (6, 2, 4, 33),
        # Mon P1 and Wednesday, where the support is for him.
        "Cal": (4, 2, 2, 50),
        # The Maths support ended yesterday.
        "Dee": (2, 0, 2, 0),
        "Eve": (0, 0, 0, None),
        "Fin": (0, 0, 0, None),
    }
    # Most unsupported lessons first, then by name.
    assert [row.pupil.first_name for row in rows] == ["Maya", "Ben", "Cal", "Dee", "Eve", "Fin"]


def test_allocations_count_only_on_the_days_they_are_in_force(staff, known, day):
    earlier = figures(pupil_coverage(actor=staff[Role.SENDCO], on=day - datetime.timedelta(5)))
    # Five days ago only the Maths support (since ended) was in force.
    assert earlier["Dee"] == (2, 1, 1, 50)
    assert earlier["Maya"] == (6, 1, 5, 17)
    assert earlier["Cal"] == (4, 0, 4, 0)


def test_pupil_filters(staff, known, day):
    sendco = staff[Role.SENDCO]

    def names(**filters):
        rows = pupil_coverage(actor=sendco, on=day, filters=PupilFilters(**filters))
        return [row.pupil.first_name for row in rows]

    assert names(year_group=9) == ["Dee"]
    assert names(sen_status="E") == ["Ben", "Eve"]
    assert names(ehcp_only=True) == ["Ben", "Eve"]  # Fin's plan has ceased
    assert names(q="cole") == ["Cal"]
    assert names(sort="name") == ["Ben", "Cal", "Dee", "Eve", "Fin", "Maya"]
    assert names(sort="coverage") == ["Dee", "Maya", "Ben", "Cal", "Eve", "Fin"]


def test_ehcp_funded_hours_against_hours_allocated(staff, known, day):
    rows = ehcp_hours_gap(actor=staff[Role.SENDCO], on=day)
    assert [(r.pupil.first_name, r.funded, r.allocated, r.gap, r.periods) for r in rows] == [
        # Mon P1 (two adults, counted once), his 1:1 in Maths and on Thursday of week 2:
        # three hours a cycle of two weeks.
        ("Ben", Decimal("5.0"), Decimal("1.5"), Decimal("3.5"), 3),
        # Two one-hour 1:1s a cycle: an hour a week, half an hour over the plan.
        ("Eve", Decimal("0.5"), Decimal("1.0"), Decimal("-0.5"), 2),
    ]


def on_register(lesson):
    return [(p.first_name, p.sen_status) for p in lesson.group.register_pupils]


def test_unsupported_lessons_with_several_register_pupils(staff, known, tt, day):
    sendco = staff[Role.SENDCO]
    english = [("Ben", "E"), ("Cal", "K"), ("Maya", "K")]  # not Nobody (N)
    maths = [("Ben", "E"), ("Dee", "K"), ("Maya", "K")]

    def listed(min_pupils=3):
        lessons = unsupported_high_need_lessons(actor=sendco, on=day, min_pupils=min_pupils)
        return [
            (le.period.week, le.period.day, le.period.name, le.group.name, on_register(le))
            for le in lessons
        ]

    assert listed() == [
        (2, MON, "P1", "9Y/En2", english),
        (2, TUE, "P1", "9Y/Ma1", maths),  # the Maths support has ended
        (2, FRI, "P3", "9Y/En2", english),
    ]
    assert listed(min_pupils=4) == []
    allocation_create(
        actor=sendco,
        staff=staff[Role.FLS],
        period=tt["periods"][(2, MON, "P1")],
        kind="IN_CLASS",
        group=known["english"],
        starts_on=day,
    )
    assert listed() == [(2, TUE, "P1", "9Y/Ma1", maths), (2, FRI, "P3", "9Y/En2", english)]


def test_the_pupil_week_matches_the_report(staff, known, tt, day):
    week = pupil_week(actor=staff[Role.SENDCO], pupil=known["ben"], on=day)
    assert (week.lessons, week.supported, week.hours_a_week, week.gap) == (
        6,
        2,
        Decimal("1.5"),
        Decimal("3.5"),
    )
    [(one, rows_one), (two, rows_two)] = week.weeks
    assert (one, two) == (1, 2)
    assert [row.name for row in rows_one] == ["P1", "P2", "Break", "P3", "Lunch"]
    monday_p1 = rows_one[0].cells[MON - 1]
    assert [lesson.group.name for lesson in monday_p1.lessons] == ["9Y/En2"]
    assert {a.staff_id for a in monday_p1.support} == {staff[Role.FLS].pk, staff[Role.PSO].pk}
    wednesday_p2 = rows_one[1].cells[WED - 1]
    assert wednesday_p2.lessons
    assert not wednesday_p2.support
    thursday_p2 = rows_two[1].cells[THU - 1]
    assert not thursday_p2.lessons
    assert [a.kind for a in thursday_p2.support] == ["ONE_TO_ONE"]


def test_the_coverage_page_in_words_and_numbers(member_client, staff, known, day):
    client = member_client(staff[Role.SENDCO])
    url = reverse("staffing:coverage")
    body = client.get(url, {"date": day}).content.decode()
    assert "6 pupils" in body
    assert "17% supported" in body
    assert "None supported" in body  # Dee
    assert "No lessons" in body  # Eve
    assert reverse("staffing:pupil_week", args=[known["maya"].pk]) in body
    assert "Nobody" not in body
    filtered = client.get(url, {"date": day, "year_group": "9"}).content.decode()
    assert "Dunn" in filtered
    assert "Okafor" not in filtered
    ehcp = client.get(url, {"date": day, "tab": "ehcp"}).content.decode()
    assert "Gap 3.5 h" in ehcp
    assert "Over by 0.5 h" in ehcp
    assert "Every EHCP hour is covered" not in ehcp
    lessons = client.get(url, {"date": day, "tab": "lessons"}).content.decode()
    assert lessons.count("No support</span>") == 3
    assert "Okafor" in lessons
    assert "Dee Dunn" in lessons
    week = client.get(reverse("staffing:pupil_week", args=[known["ben"].pk]), {"date": day})
    text = week.content.decode()
    assert "2 of 6 lessons a cycle supported" in text
    assert "Gap 3.5 h" in text
    assert staff[Role.ONE_TO_ONE].user.full_name + " (1:1)" in text


def test_empty_states(member_client, staff, school_a, pupil, day):
    client = member_client(staff[Role.SENDCO])
    url = reverse("staffing:coverage")
    assert "No timetable yet" in client.get(url).content.decode()
    build_timetable(school_a, week_one_starts=monday_of(day))
    plan(pupil, "0.0")
    ehcp = client.get(url, {"tab": "ehcp"}).content.decode()
    assert "Every EHCP hour is covered" in ehcp
    assert "Covered</span>" in ehcp
    lessons = client.get(url, {"tab": "lessons"}).content.decode()
    assert "Every lesson with 3 or more pupils on the register has support" in lessons


def test_ehcp_hours_export_as_csv_without_formulas(member_client, staff, known, day):
    ben = known["ben"]
    ben.last_name = "=HYPERLINK(evil)"
    ben.save()
    response = member_client(staff[Role.SENDCO]).get(
        reverse("staffing:coverage"), {"tab": "ehcp", "format": "csv", "date": day}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-3:] == ["Allocated hours a week", "Gap (hours a week)", "Status"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][4:] == ["5.0", "1.5", "3.5", "Gap 3.5 h"]
    assert rows[2][4:] == ["0.5", "1.0", "-0.5", "Over by 0.5 h"]


def test_another_schools_data_never_appears(member_client, staff, known, school_b, day):
    build_timetable(school_b, week_one_starts=monday_of(day))
    stranger = PupilFactory(school=school_b, first_name="Zed", last_name="Zola", sen_status="E")
    plan(stranger, "10.0")
    other_sendco = StaffMemberFactory(school=school_b, role=Role.SENDCO)
    build_class(
        school_b,
        name="9Y/En2",
        subject="English",
        faculty_name="English",
        teacher=None,
        pupils=[stranger, *(PupilFactory(school=school_b) for _ in range(3))],
        periods=list(other_sendco.school.periods.filter(kind="LESSON")[:3]),
    )
    client = member_client(staff[Role.SENDCO])
    for tab in ("pupils", "ehcp", "lessons"):
        body = client.get(reverse("staffing:coverage"), {"tab": tab, "date": day}).content
        assert b"Zola" not in body
    csv_body = client.get(reverse("staffing:coverage"), {"tab": "ehcp", "format": "csv"})
    assert b"Zola" not in csv_body.content
    week = client.get(reverse("staffing:pupil_week", args=[stranger.pk]))
    assert week.status_code == 404
    # And the other school sees only its own.
    theirs = unsupported_high_need_lessons(actor=other_sendco, on=day)
    assert {lesson.group.school_id for lesson in theirs} == {school_b.pk}
    assert [r.pupil.last_name for r in ehcp_hours_gap(actor=other_sendco, on=day)] == ["Zola"]


def test_who_may_open_coverage(member_client, staff, known):
    urls = [
        reverse("staffing:coverage"),
        reverse("staffing:coverage") + "?tab=ehcp&format=csv",
        reverse("staffing:pupil_week", args=[known["maya"].pk]),
    ]
    for role in (Role.SENDCO, Role.PSO, Role.SLT):
        for url in urls:
            assert member_client(staff[role]).get(url).status_code == 200, (role, url)
    for role in (Role.FLS, Role.TEACHER, Role.HLTA, Role.ONE_TO_ONE, Role.DATA_MANAGER):
        for url in urls:
            assert member_client(staff[role]).get(url).status_code == 403, (role, url)
    sendco_nav = member_client(staff[Role.SENDCO]).get(reverse("home")).content.decode()
    assert reverse("staffing:coverage") in sendco_nav
    fls_nav = member_client(staff[Role.FLS]).get(reverse("home")).content.decode()
    assert reverse("staffing:coverage") not in fls_nav


def grow(school, staff, tt, day, n):
    """``n`` more classes of five register pupils (two with an EHC plan), each taught in
    three periods, with in-class support, focus support and a 1:1 in some of them."""
    p = tt["periods"]
    lessons = [key for key in p if key[2].startswith("P")]
    for i in range(n):
        pupils = [
            PupilFactory(school=school, sen_status="E" if k < 2 else "K", year_group=7 + k)
            for k in range(5)
        ]
        for member in pupils[:2]:
            plan(member, "4.5")
        periods = [p[lessons[(3 * i + k) % len(lessons)]] for k in range(3)]
        group = build_class(
            school,
            name=f"G{next(CLASS_NUMBERS)}",
            subject="Science",
            faculty_name="Science",
            teacher=staff[Role.TEACHER],
            pupils=pupils,
            periods=periods,
        )
        fls = StaffMemberFactory(school=school, role=Role.FLS)
        one = StaffMemberFactory(school=school, role=Role.ONE_TO_ONE)
        sendco = staff[Role.SENDCO]
        allocation_create(
            actor=sendco, staff=fls, period=periods[0], kind="IN_CLASS", group=group, starts_on=day
        )
        allocation_create(
            actor=sendco,
            staff=fls,
            period=periods[1],
            kind="IN_CLASS",
            group=group,
            focus_pupils=pupils[:2],
            starts_on=day,
        )
        allocation_create(
            actor=sendco,
            staff=one,
            period=periods[2],
            kind="ONE_TO_ONE",
            pupil=pupils[0],
            starts_on=day,
        )


def test_coverage_pages_keep_their_query_budget(
    member_client, school_a, staff, known, tt, day, django_assert_max_num_queries
):
    client = member_client(staff[Role.SENDCO])
    coverage = reverse("staffing:coverage")
    urls = [
        f"{coverage}?date={day}",
        f"{coverage}?date={day}&sort=coverage&ehcp=on",
        f"{coverage}?date={day}&tab=ehcp",
        f"{coverage}?date={day}&tab=ehcp&format=csv",
        f"{coverage}?date={day}&tab=lessons&min_pupils=2",
        reverse("staffing:pupil_week", args=[known["ben"].pk]) + f"?date={day}",
    ]
    # Three queries for the session, user and membership, one for the timetable, then the
    # report's own: the pupils with their lesson counts and the supported pupil-period
    # pairs; the timetable again, the plans, the pairs and the periods' lengths; a count, a
    # page of lessons and their register pupils; the pupil, their plan, the periods, their
    # lessons and the support.
    budgets = [6, 6, 8, 7, 7, 9]
    grow(school_a, staff, tt, day, 3)
    client.get(urls[0])  # the session records the visit once a while: not measured
    for url, budget in zip(urls, budgets, strict=True):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    grow(school_a, staff, tt, day, 30)
    client.get(urls[0])
    for url, budget in zip(urls, budgets, strict=True):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
