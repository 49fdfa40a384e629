"""A small two-week timetable for deployment tests: P1 to P3, break and lunch each day."""

import datetime

from staffing.models import Faculty, Lesson, Period, TeachingGroup, Timetable

SLOTS = [
    ("P1", "LESSON", (9, 0), (10, 0)),
    ("P2", "LESSON", (10, 0), (11, 0)),
    ("Break", "BREAK", (11, 0), (11, 20)),
    ("P3", "LESSON", (11, 20), (12, 20)),
    ("Lunch", "LUNCH", (12, 20), (13, 10)),
]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def build_timetable(school, *, week_one_starts: datetime.date) -> dict:
    """Periods keyed (week, day, name), and the timetable."""
    timetable = Timetable.objects.create(school=school, weeks=2, week_one_starts=week_one_starts)
    periods = {}
    for week in (1, 2):
        for day in range(1, 6):
            for name, kind, starts, ends in SLOTS:
                periods[(week, day, name)] = Period.objects.create(
                    school=school,
                    week=week,
                    day=day,
                    name=name,
                    kind=kind,
                    starts=datetime.time(*starts),
                    ends=datetime.time(*ends),
                )
    return {"timetable": timetable, "periods": periods}


def build_class(school, *, name, subject, faculty_name, teacher, pupils, periods, room="S1"):
    faculty, _ = Faculty.objects.get_or_create(school=school, name=faculty_name)
    group = TeachingGroup.objects.create(
        school=school, name=name, subject=subject, faculty=faculty, teacher=teacher, room=room
    )
    group.pupils.set(pupils)
    for period in periods:
        Lesson.objects.create(school=school, group=group, period=period)
    return group
